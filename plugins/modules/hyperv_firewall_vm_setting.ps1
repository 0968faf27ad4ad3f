#!powershell

# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._HyperVFirewall

# The action plugin of the same name (plugins/action/hyperv_firewall_vm_setting.py) validates every
# option and sends the values in the spelling the cmdlets print ("True", "Allow", "{GUID}"). The
# option '_objects' is wire-only, filled by that action plugin and not documented. Each entry names
# a settings object:
#   noun             NetFirewallHyperVVMSetting or NetFirewallHyperVProfile (Get-/Set-/New-<noun>)
#   identity         parameters that select the object (-Name, and -Profile for a profile)
#   properties       cmdlet property -> canonical value to enforce (only what the user gave)
#   report           properties to read back raw
#   effective_query  parameters of the Get- call that reads the effective policy (ActiveStore)
# This script reads, compares strings in one loop and writes; the action plugin interprets the raw
# values it returns.

$spec = @{
    options = @{
        vm_creator_id = @{ type = 'str'; default = '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' }
        enabled = @{ type = 'bool' }
        default_inbound_action = @{ type = 'str'; choices = @('allow', 'block', 'not_configured') }
        default_outbound_action = @{ type = 'str'; choices = @('allow', 'block', 'not_configured') }
        loopback_enabled = @{ type = 'bool' }
        allow_host_policy_merge = @{ type = 'bool' }
        allow_local_firewall_rules = @{ type = 'bool' }
        _objects = @{ type = 'list'; elements = 'dict'; default = @() }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

$allowedNouns = @('NetFirewallHyperVVMSetting', 'NetFirewallHyperVProfile')

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

# wsl-reference §4.1: the cmdlets exist from Windows 11 22H2 (build 22621.2428) only.
if (-not (Get-Command -Name 'Get-NetFirewallHyperVVMSetting' -ErrorAction SilentlyContinue)) {
    $module.FailJson('Get-NetFirewallHyperVVMSetting is not available: the Hyper-V firewall needs Windows 11 22H2 build 22621.2428 or later')
}

$results = @()
$diffBefore = @{}
$diffAfter = @{}
foreach ($object in $module.Params._objects) {
    $noun = [string]$object.noun
    if ($allowedNouns -notcontains $noun) {
        $module.FailJson("Unsupported settings object '$noun'; expected one of $($allowedNouns -join ', ')")
    }
    $identity = ConvertTo-Splat -Dictionary $object.identity
    $desired = ConvertTo-Splat -Dictionary $object.properties
    $report = [string[]]@($object.report)
    $label = "$noun $(($identity.Values | ForEach-Object { [string]$_ }) -join ' ')"

    $existing = @(& "Get-$noun" @identity -ErrorAction SilentlyContinue)
    $before = $null
    if ($existing.Count -eq 1) {
        $before = Get-RawProperty -InputObject $existing[0] -Property $report
    }
    elseif ($existing.Count -gt 1) {
        $module.FailJson("$($existing.Count) objects match $label; expected at most one")
    }

    $operation = 'none'
    $changedProperties = @()
    $parameters = @{}
    foreach ($entry in $desired.GetEnumerator()) {
        $observed = $null
        if ($null -ne $before) {
            $observed = $existing[0].($entry.Key)
        }
        if ((Get-ComparisonKey -Value $observed) -ne (Get-ComparisonKey -Value $entry.Value)) {
            $parameters[$entry.Key] = $entry.Value
            $changedProperties += $entry.Key
        }
    }
    try {
        if ($changedProperties.Count -gt 0 -and $null -ne $before) {
            & "Set-$noun" @identity @parameters -WhatIf:$module.CheckMode
            $operation = 'update'
        }
        elseif ($changedProperties.Count -gt 0) {
            # No setting exists for this VM creator yet: Set- would find nothing (wsl-reference §4.2).
            & "New-$noun" @identity @desired -WhatIf:$module.CheckMode | Out-Null
            $operation = 'create'
        }
    }
    catch {
        $module.FailJson("Failed to change ${label}: $($_.Exception.Message)", $_)
    }

    $after = $before
    if ($operation -ne 'none' -and -not $module.CheckMode) {
        $after = $null
        $current = @(& "Get-$noun" @identity -ErrorAction SilentlyContinue)
        if ($current.Count -eq 1) {
            $after = Get-RawProperty -InputObject $current[0] -Property $report
        }
    }
    elseif ($operation -ne 'none') {
        # Check mode: the prediction is the current object with the requested values laid over it.
        $after = ConvertTo-Splat -Dictionary $before
        foreach ($entry in $identity.GetEnumerator()) {
            if (-not $after.ContainsKey($entry.Key)) {
                $after[$entry.Key] = $entry.Value
            }
        }
        foreach ($entry in $desired.GetEnumerator()) {
            $after[$entry.Key] = $entry.Value
        }
    }

    $effective = @()
    $effectiveReadError = $null
    $effectiveQuery = ConvertTo-Splat -Dictionary $object.effective_query
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

    $diffBefore[$label] = $before
    $diffAfter[$label] = $after
    $results += @{
        noun = $noun
        identity = $identity
        operation = $operation
        changed_properties = $changedProperties
        raw_before = $before
        raw_after = $after
        raw_effective = $effective
        effective_read_error = $effectiveReadError
    }
}

$module.Result.changed = @($results | Where-Object { $_.operation -ne 'none' }).Count -gt 0
$module.Result.objects = $results
$module.Diff.before = $diffBefore
$module.Diff.after = $diffAfter
$module.ExitJson()
