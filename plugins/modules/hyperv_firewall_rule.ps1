#!powershell

# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._HyperVFirewall

# The action plugin of the same name (plugins/action/hyperv_firewall_rule.py) validates every option
# and sends the values in the spelling Get-NetFirewallHyperVRule prints. Options starting with '_'
# are wire-only, filled by that action plugin and not documented:
#   _properties           cmdlet property -> canonical value to enforce (only what the user gave)
#   _create_properties    values given to New-NetFirewallHyperVRule only (its required -DisplayName)
#   _aliases              cmdlet property -> @{ other printed spelling (lower-case) -> canonical spelling }
#   _set_parameter_names  cmdlet property -> Set-NetFirewallHyperVRule parameter, where the names differ
#   _switch_cmdlets       cmdlet property -> @{ canonical value -> cmdlet that sets it on an existing rule }
#                         (Enabled: Enable-/Disable-NetFirewallHyperVRule, since Set- lacks -Enabled on some builds)
# This script reads, compares strings in one loop and writes; it returns raw property values and
# the action plugin interprets them.
# Sources: "the help of <cmdlet>" is MicrosoftDocs/windows-powershell-docs
# docset/winserver2025-ps/netsecurity/<cmdlet>.md; "Learn, Hyper-V firewall" is
# https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/hyper-v-firewall

$spec = @{
    options = @{
        name = @{ type = 'str'; required = $true }
        display_name = @{ type = 'str' }
        state = @{ type = 'str'; default = 'present'; choices = @('present', 'absent') }
        enabled = @{ type = 'bool' }
        direction = @{ type = 'str'; choices = @('inbound', 'outbound') }
        action = @{ type = 'str'; choices = @('allow', 'block') }
        protocol = @{ type = 'str' }
        local_ports = @{ type = 'list'; elements = 'str' }
        remote_ports = @{ type = 'list'; elements = 'str' }
        local_addresses = @{ type = 'list'; elements = 'str' }
        remote_addresses = @{ type = 'list'; elements = 'str' }
        profiles = @{ type = 'list'; elements = 'str'; choices = @('any', 'domain', 'private', 'public') }
        vm_creator_id = @{ type = 'str'; default = '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' }
        _properties = @{ type = 'dict'; default = @{} }
        _create_properties = @{ type = 'dict'; default = @{} }
        _aliases = @{ type = 'dict'; default = @{} }
        _set_parameter_names = @{ type = 'dict'; default = @{} }
        _switch_cmdlets = @{ type = 'dict'; default = @{} }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

$name = $module.Params.name
$state = $module.Params.state
$desired = $module.Params._properties
$createProperties = $module.Params._create_properties
$aliases = $module.Params._aliases
$setParameterNames = $module.Params._set_parameter_names
$switchCmdlets = $module.Params._switch_cmdlets

# Properties of the rule and profile objects: the parameters of the help of Get-NetFirewallHyperVRule and
# New-NetFirewallHyperVProfile, and the real Get-NetFirewallHyperVRule output in tests/unit/fixtures/hyperv_firewall.
$ruleProperties = @('Name', 'DisplayName', 'Direction', 'Action', 'Enabled', 'Protocol', 'LocalPorts', 'RemotePorts',
    'LocalAddresses', 'RemoteAddresses', 'Profiles', 'VMCreatorId', 'EnforcementStatus', 'PolicyStoreSourceType')
$profileProperties = @('Name', 'Profile', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction',
    'AllowLocalFirewallRules')

Function Get-Entry {
    param($Dictionary, [string]$Key)
    if ($null -ne $Dictionary -and $Dictionary.ContainsKey($Key)) {
        return $Dictionary[$Key]
    }
    $null
}

# Rules named WslCore* are WSL's own (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp); never touch them.
if ($name.StartsWith('WslCore', [System.StringComparison]::OrdinalIgnoreCase)) {
    $module.FailJson("Refusing to manage the rule '$name': rules named WslCore* belong to WSL itself")
}
# The cmdlets exist from Windows 11 22H2 only (Learn, Hyper-V firewall: "Starting in Windows 11, version 22H2").
# Unverified: the update 22621.2428 the message names (microsoft/WSL#10495 and #11414 name 22621.2359/.2361).
if (-not (Get-Command -Name 'Get-NetFirewallHyperVRule' -ErrorAction SilentlyContinue)) {
    $module.FailJson('Get-NetFirewallHyperVRule is not available: the Hyper-V firewall needs Windows 11 22H2 build 22621.2428 or later')
}

$existing = @(Get-NetFirewallHyperVRule -Name $name -ErrorAction SilentlyContinue)
if ($existing.Count -gt 1) {
    $module.FailJson("$($existing.Count) Hyper-V firewall rules match the name '$name'; expected at most one")
}
$before = $null
if ($existing.Count -eq 1) {
    $before = Get-RawProperty -InputObject $existing[0] -Property $ruleProperties
}

# Decide what to call: every desired property is compared in the same way, whatever it is. $calls lists
# each cmdlet with its parameters; all of them are checked against this host's cmdlets before the first write.
$operation = 'none'
$changedProperties = @()
$calls = [System.Collections.ArrayList]::new()
if ($state -eq 'absent') {
    if ($null -ne $before) {
        $operation = 'remove'
        # Remove-NetFirewallHyperVRule without -Name removes every rule (its help, DESCRIPTION): -Name is always given.
        $null = $calls.Add(@{ cmdlet = 'Remove-NetFirewallHyperVRule'; parameters = @{ Name = $name } })
    }
}
elseif ($null -eq $before) {
    $operation = 'create'
    $parameters = @{ Name = $name }
    foreach ($entry in $createProperties.GetEnumerator()) {
        $parameters[$entry.Key] = $entry.Value
    }
    foreach ($entry in $desired.GetEnumerator()) {
        $parameters[$entry.Key] = $entry.Value
        $changedProperties += $entry.Key
    }
    $null = $calls.Add(@{ cmdlet = 'New-NetFirewallHyperVRule'; parameters = $parameters })
}
else {
    $setParameters = @{}
    foreach ($entry in $desired.GetEnumerator()) {
        $observedKey = Get-ComparisonKey -Value $existing[0].($entry.Key) -Spelling (Get-Entry -Dictionary $aliases -Key $entry.Key)
        $desiredKey = Get-ComparisonKey -Value $entry.Value -Spelling $null
        if ($observedKey -eq $desiredKey) {
            continue
        }
        $changedProperties += $entry.Key
        $switch = Get-Entry -Dictionary $switchCmdlets -Key $entry.Key
        if ($null -ne $switch) {
            $null = $calls.Add(@{ cmdlet = [string](Get-Entry -Dictionary $switch -Key ([string]$entry.Value)); parameters = @{ Name = $name } })
            continue
        }
        $parameterName = Get-Entry -Dictionary $setParameterNames -Key $entry.Key
        if ($null -eq $parameterName) {
            $parameterName = $entry.Key
        }
        $setParameters[$parameterName] = $entry.Value
    }
    if ($setParameters.Count -gt 0) {
        $setParameters.Name = $name
        $null = $calls.Insert(0, @{ cmdlet = 'Set-NetFirewallHyperVRule'; parameters = $setParameters })
    }
    if ($calls.Count -gt 0) {
        $operation = 'update'
    }
}

# Parameter sets differ between builds and docsets (-Direction/-Action/-Enabled/-Profiles are in the help of
# Set-NetFirewallHyperVRule, none of them on https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallhypervrule):
# refuse before changing anything rather than apply half of the request.
$missing = @()
foreach ($call in $calls) {
    $command = Get-Command -Name $call.cmdlet -ErrorAction SilentlyContinue
    if ($null -eq $command) {
        $missing += "$($call.cmdlet) does not exist"
        continue
    }
    $absent = @($call.parameters.Keys | Where-Object { -not $command.Parameters.ContainsKey($_) } | Sort-Object)
    if ($absent.Count -gt 0) {
        $missing += "$($call.cmdlet) has no parameter $(($absent | ForEach-Object { "-$_" }) -join ', ')"
    }
}
if ($missing.Count -gt 0) {
    $module.Result.calls = @($calls | ForEach-Object { $_.cmdlet })
    $module.FailJson("this Windows build cannot $operation the rule '$name', nothing was changed: $($missing -join '; ')$(if ($operation -eq 'update') { '; remove it (state=absent) and create it again' })")
}

$failure = $null
$applied = @()
try {
    foreach ($call in $calls) {
        $parameters = $call.parameters
        # -WhatIf is in the SYNTAX of the help of every cmdlet called here (New-, Set-, Remove-, Enable-, Disable-).
        & $call.cmdlet @parameters -WhatIf:$module.CheckMode -ErrorAction Stop | Out-Null
        $applied += $call.cmdlet
    }
}
catch {
    $failure = $_
}
if ($null -ne $failure) {
    $module.Result.calls = $applied
    $module.FailJson("Failed to $operation the Hyper-V firewall rule '$name' after $($applied.Count) earlier call(s) ($($applied -join ', ')): $($failure.Exception.Message)", $failure)
}

$after = $before
if ($operation -ne 'none' -and -not $module.CheckMode) {
    $after = $null
    $current = @(Get-NetFirewallHyperVRule -Name $name -ErrorAction SilentlyContinue)
    if ($current.Count -eq 1) {
        $after = Get-RawProperty -InputObject $current[0] -Property $ruleProperties
    }
}
elseif ($operation -eq 'remove') {
    $after = $null
}
elseif ($operation -ne 'none') {
    # Check mode: the prediction is the current rule with the requested values laid over it.
    $after = @{ Name = $name }
    if ($null -ne $before) {
        foreach ($entry in $before.GetEnumerator()) {
            $after[$entry.Key] = $entry.Value
        }
    }
    else {
        foreach ($entry in $createProperties.GetEnumerator()) {
            $after[$entry.Key] = $entry.Value
        }
    }
    foreach ($entry in $desired.GetEnumerator()) {
        $after[$entry.Key] = $entry.Value
    }
}

# The per-profile settings of the rule's VM creator, read from the effective policy (-All -PolicyStore ActiveStore,
# the GetAll set in the help of Get-NetFirewallHyperVProfile); the action plugin
# warns when AllowLocalFirewallRules is False there (local rules are then silently not applied).
$profiles = @()
$profileReadError = $null
if ($state -eq 'present') {
    try {
        foreach ($hyperVProfile in @(Get-NetFirewallHyperVProfile -All -PolicyStore ActiveStore -ErrorAction Stop)) {
            $profiles += Get-RawProperty -InputObject $hyperVProfile -Property $profileProperties
        }
    }
    catch {
        $profileReadError = $_.Exception.Message
    }
}

$module.Result.changed = $operation -ne 'none'
$module.Result.operation = $operation
$module.Result.changed_properties = $changedProperties
$module.Result.calls = @($calls | ForEach-Object { $_.cmdlet })
$module.Result.raw_before = $before
$module.Result.raw_after = $after
$module.Result.raw_profiles = $profiles
$module.Result.profile_read_error = $profileReadError
$module.Diff.before = $before
$module.Diff.after = $after
$module.ExitJson()
