#!powershell

# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._HyperVFirewall

# Two runs per task, both driven by the action plugin of the same name (plugins/action/hyperv_firewall_vm_setting.py),
# which validates every option and makes every decision in Python. Options starting with '_' are wire-only:
#   _phase    'read': report the objects, the registered VM creators and the parameters of the cmdlets;
#             'write': make the calls in _calls, then report the objects again.
#   _objects  the settings objects: noun (NetFirewallHyperVVMSetting or NetFirewallHyperVProfile), identity
#             (-Name, and -Profile for a profile), report (properties to read back), effective_query (the
#             parameters of the Get- call that reads the effective policy, ActiveStore).
#   _calls    (write) each: cmdlet, parameters, and fallback - the New- cmdlet to call instead when Set- finds
#             no object (Set- fails with CmdletizationQuery_NotFound_Name when nothing exists for the creator,
#             real error record in MicrosoftDocs/WSL#1869).
# Nothing is written in the read phase, and the write phase is never run in check mode.
# Sources: "the help of <cmdlet>" is MicrosoftDocs/windows-powershell-docs
# docset/winserver2025-ps/netsecurity/<cmdlet>.md; "Learn, Hyper-V firewall" is
# https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/hyper-v-firewall

$spec = @{
    options = @{
        vm_creator_id = @{ type = 'str'; default = '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' }
        enabled = @{ type = 'bool' }
        default_inbound_action = @{ type = 'str'; choices = @('allow', 'block', 'not_configured') }
        default_outbound_action = @{ type = 'str'; choices = @('allow', 'block', 'not_configured') }
        loopback_enabled = @{ type = 'bool' }
        allow_host_policy_merge = @{ type = 'bool' }
        allow_local_firewall_rules = @{ type = 'bool' }
        _phase = @{ type = 'str'; default = 'read'; choices = @('read', 'write') }
        _objects = @{ type = 'list'; elements = 'dict'; default = @() }
        _calls = @{ type = 'list'; elements = 'dict'; default = @() }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

$allowedNouns = @('NetFirewallHyperVVMSetting', 'NetFirewallHyperVProfile')
$allowedCmdlets = foreach ($verb in @('Get', 'Set', 'New')) {
    foreach ($noun in $allowedNouns) {
        "$verb-$noun"
    }
}

Function ConvertTo-Splat {
    # Splatting needs a Hashtable; the wire gives dictionaries.
    param($Dictionary)
    $splat = @{}
    if ($null -ne $Dictionary) {
        foreach ($entry in $Dictionary.GetEnumerator()) {
            $splat[$entry.Key] = $entry.Value
        }
    }
    $splat
}

Function Get-ObjectReport {
    # The object of one identity in the default (local, persistent) store and the effective (ActiveStore) ones.
    param($Object)
    $noun = [string]$Object.noun
    $identity = ConvertTo-Splat -Dictionary $Object.identity
    $report = [string[]]@($Object.report)
    $existing = @(& "Get-$noun" @identity -ErrorAction SilentlyContinue)
    $current = $null
    if ($existing.Count -gt 0) {
        $current = Get-RawProperty -InputObject $existing[0] -Property $report
    }
    $effective = @()
    $effectiveReadError = $null
    $effectiveQuery = ConvertTo-Splat -Dictionary $Object.effective_query
    if ($effectiveQuery.Count -gt 0) {
        try {
            foreach ($item in @(& "Get-$noun" @effectiveQuery -ErrorAction Stop)) {
                $effective += Get-RawProperty -InputObject $item -Property $report
            }
        }
        catch {
            $effectiveReadError = $_.Exception.Message
        }
    }
    @{
        noun = $noun
        identity = $identity
        match_count = $existing.Count
        raw = $current
        raw_effective = $effective
        effective_read_error = $effectiveReadError
    }
}

foreach ($object in $module.Params._objects) {
    if ($allowedNouns -notcontains [string]$object.noun) {
        $module.FailJson("Unsupported settings object '$($object.noun)'; expected one of $($allowedNouns -join ', ')")
    }
}
# The cmdlets exist from Windows 11 22H2 only (Learn, Hyper-V firewall: "Starting in Windows 11, version 22H2").
# Unverified: the update 22621.2428 the message names (microsoft/WSL#10495 and #11414 name 22621.2359/.2361).
if (-not (Get-Command -Name 'Get-NetFirewallHyperVVMSetting' -ErrorAction SilentlyContinue)) {
    $module.FailJson('Get-NetFirewallHyperVVMSetting is not available: the Hyper-V firewall needs Windows 11 22H2 build 22621.2428 or later')
}

if ($module.Params._phase -eq 'read') {
    # Parameter sets differ between builds (-AllowHostPolicyMerge is in the PARAMETERS of the help of
    # Set-NetFirewallHyperVVMSetting but missing from its SYNTAX): report what this host's cmdlets take, Python
    # checks it against every call before the first write.
    $parameters = @{}
    foreach ($cmdlet in $allowedCmdlets) {
        $command = Get-Command -Name $cmdlet -ErrorAction SilentlyContinue
        $parameters[$cmdlet] = if ($command) { @($command.Parameters.Keys) } else { $null }
    }
    # Set- is the right call once the creator is registered, New- only before (DESCRIPTION of the help of
    # Set-NetFirewallHyperVVMSetting and New-NetFirewallHyperVProfile).
    $creators = $null
    $creatorReadError = $null
    try {
        $creators = @(Get-NetFirewallHyperVVMCreator -ErrorAction Stop | ForEach-Object { [string]$_.VMCreatorId })
    }
    catch {
        $creatorReadError = $_.Exception.Message
    }
    $module.Result.changed = $false
    $module.Result.objects = @(foreach ($object in $module.Params._objects) { Get-ObjectReport -Object $object })
    $module.Result.vm_creators = $creators
    $module.Result.vm_creator_read_error = $creatorReadError
    $module.Result.cmdlet_parameters = $parameters
    $module.ExitJson()
}

if ($module.CheckMode) {
    $module.FailJson('the write phase does not run in check mode (internal error of the action plugin)')
}
$applied = @()
foreach ($call in $module.Params._calls) {
    $cmdlet = [string]$call.cmdlet
    $fallback = [string]$call.fallback
    if ($allowedCmdlets -notcontains $cmdlet -or ($fallback -and $allowedCmdlets -notcontains $fallback)) {
        $module.FailJson("Refusing the call '$cmdlet' (fallback '$fallback'): not a Hyper-V firewall settings cmdlet")
    }
    $parameters = ConvertTo-Splat -Dictionary $call.parameters
    $used = $cmdlet
    try {
        try {
            & $cmdlet @parameters -ErrorAction Stop | Out-Null
        }
        catch {
            if (-not $fallback -or $_.FullyQualifiedErrorId -notlike 'CmdletizationQuery_NotFound*') {
                throw
            }
            $used = $fallback
            & $fallback @parameters -ErrorAction Stop | Out-Null
        }
    }
    catch {
        $module.Result.applied = $applied
        $module.FailJson("$used failed after $($applied.Count) earlier change(s) were applied ($($applied -join ', ')): $($_.Exception.Message)", $_)
    }
    $applied += $used
}
$module.Result.changed = $applied.Count -gt 0
$module.Result.applied = $applied
$module.Result.objects = @(foreach ($object in $module.Params._objects) { Get-ObjectReport -Object $object })
$module.ExitJson()
