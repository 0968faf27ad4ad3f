<#
.SYNOPSIS
    Record, read-only, what effective.wsl's Windows modules read on this host, as fixture files its tests load.

.DESCRIPTION
    Changes nothing: every command below is a Get- cmdlet, a registry read, Get-Command, or wsl.exe --version /
    --list --verbose. Run it in an elevated PowerShell on a Windows 11 machine with WSL (unverified: which Hyper-V
    firewall reads need elevation - no Microsoft page says; a read that fails is recorded as an error, which is
    useful too), then review the files - they
    contain your user and computer names and your distribution names - and contribute the directory as described
    in docs/development.md, "Recording Windows fixtures".

    Files written to <OutDirectory>\<computer>-<yyyyMMdd>\:
      host.json                         build, WSL package version, the recorder's elevation; what the files came from
      cmdlet_parameters.json            every parameter of the Hyper-V firewall cmdlets: type, enum names, sets
      hyperv_firewall_vm_setting_read.json  the read phase of hyperv_firewall_vm_setting.ps1 for WSL's creator
      hyperv_firewall_stores.json       VM settings, profiles and rules in PersistentStore, ActiveStore, SystemDefaults
      wsl_exe.json                      wsl.exe (Lxss\Msi InstallLocation and System32), with and without WSL_UTF8=1
      registry.json                     the registry keys wsl_host_facts.ps1 reads
      errors.json                       the error records of reads that fail (object not found, missing class)

.PARAMETER OutDirectory
    Parent directory of the recording (default: the current directory).
#>
[CmdletBinding()]
param (
    [string]$OutDirectory = (Get-Location).Path
)

$ErrorActionPreference = 'Stop'
$wslCreator = '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}'
$stores = @('PersistentStore', 'ActiveStore', 'SystemDefaults')
$cmdlets = @(
    'Get-NetFirewallHyperVVMSetting', 'Set-NetFirewallHyperVVMSetting', 'New-NetFirewallHyperVVMSetting',
    'Get-NetFirewallHyperVProfile', 'Set-NetFirewallHyperVProfile', 'New-NetFirewallHyperVProfile',
    'Get-NetFirewallHyperVRule', 'Set-NetFirewallHyperVRule', 'New-NetFirewallHyperVRule', 'Remove-NetFirewallHyperVRule',
    'Enable-NetFirewallHyperVRule', 'Disable-NetFirewallHyperVRule', 'Get-NetFirewallHyperVVMCreator', 'Get-NetFirewallHyperVPort'
)
# The same property lists the modules read (plugins/plugin_utils/_hyperv_firewall.py).
$settingProperties = @('Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction', 'LoopbackEnabled', 'AllowHostPolicyMerge')
$profileProperties = @('Name', 'Profile', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction', 'AllowLocalFirewallRules')
$ruleProperties = @('Name', 'DisplayName', 'Direction', 'Action', 'Enabled', 'Protocol', 'LocalPorts', 'RemotePorts',
    'LocalAddresses', 'RemoteAddresses', 'Profiles', 'VMCreatorId', 'EnforcementStatus', 'PolicyStoreSourceType')

$target = Join-Path -Path $OutDirectory -ChildPath "$env:COMPUTERNAME-$(Get-Date -Format yyyyMMdd)"
$null = New-Item -ItemType Directory -Path $target -Force
$errors = [System.Collections.ArrayList]::new()

Function Save-Json {
    param([string]$Name, $Value)
    $path = Join-Path -Path $target -ChildPath $Name
    [System.IO.File]::WriteAllText($path, (ConvertTo-Json -InputObject $Value -Depth 12), [System.Text.UTF8Encoding]::new($false))
    Write-Output "wrote $path"
}

Function Get-ErrorRecord {
    param($Record)
    @{
        message = $Record.Exception.Message
        exception = $Record.Exception.GetType().FullName
        fully_qualified_error_id = $Record.FullyQualifiedErrorId
        category = "$($Record.CategoryInfo.Category)"
        category_reason = $Record.CategoryInfo.Reason
    }
}

Function Invoke-Recorded {
    # Runs one read; a failure is recorded with its error record, never stops the recording.
    param([string]$Name, [scriptblock]$Read)
    try {
        & $Read
    }
    catch {
        # Nothing is output: @(...) around a failed read is empty, a plain assignment gets $null.
        $null = $errors.Add(@{ read = $Name; error = (Get-ErrorRecord -Record $_) })
    }
}

Function Get-RawObject {
    # Properties as printed: a string, a list of strings, or null (what the modules' Get-RawProperty returns).
    param($InputObject, [string[]]$Property)
    $raw = [ordered]@{}
    foreach ($name in $Property) {
        $value = $InputObject.$name
        if ($value -is [System.Array]) {
            $raw[$name] = @($value | ForEach-Object { [string]$_ })
        }
        elseif ($null -ne $value) {
            $raw[$name] = [string]$value
        }
        else {
            $raw[$name] = $null
        }
    }
    $raw
}

Function Invoke-Wsl {
    # Both encodings are recorded: wsl.exe writes UTF-8 with WSL_UTF8=1, UTF-16LE otherwise (microsoft/WSL
    # src/windows/common/WslClient.cpp, getenv("WSL_UTF8")).
    param([string]$FileName, [string]$Arguments, [bool]$SetUtfEnv)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($FileName, $Arguments)
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.CreateNoWindow = $true
    if ($SetUtfEnv) {
        $startInfo.EnvironmentVariables['WSL_UTF8'] = '1'
    }
    else {
        $startInfo.EnvironmentVariables.Remove('WSL_UTF8')
    }
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = [System.IO.MemoryStream]::new()
    $copy = $process.StandardOutput.BaseStream.CopyToAsync($stdout)
    if (-not $process.WaitForExit(60000)) {
        $process.Kill()
        throw "$FileName $Arguments did not finish within 60 seconds"
    }
    $copy.Wait()
    @{ rc = $process.ExitCode; stdout_base64 = [Convert]::ToBase64String($stdout.ToArray()); stderr = $stderr.Result }
}

Function Get-RegistryKey {
    param([string]$Path)
    $key = Get-Item -LiteralPath $Path -ErrorAction SilentlyContinue
    if ($null -eq $key) {
        return $null
    }
    $values = [ordered]@{}
    foreach ($name in $key.GetValueNames()) {
        $value = $key.GetValue($name, $null, 'DoNotExpandEnvironmentNames')
        $values[$name] = if ($value -is [byte[]]) { [Convert]::ToBase64String($value) } else { $value }
    }
    $values
}

# --- host
$principal = [System.Security.Principal.WindowsPrincipal]::new([System.Security.Principal.WindowsIdentity]::GetCurrent())
$version = Get-RegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$msi = Get-RegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi'
Save-Json -Name 'host.json' -Value ([ordered]@{
    recorder = 'tools/record-windows-fixtures.ps1'
    recorded_at = (Get-Date).ToUniversalTime().ToString('o')
    build = "$($version.CurrentBuild).$($version.UBR)"
    display_version = $version.DisplayVersion
    wsl_package_version = $msi.Version
    elevated = $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
    powershell = "$($PSVersionTable.PSVersion)"
})

# --- cmdlet parameter metadata, with the names of enum types
$parameters = [ordered]@{}
foreach ($name in $cmdlets) {
    $command = Get-Command -Name $name -ErrorAction SilentlyContinue
    if ($null -eq $command) {
        $parameters[$name] = $null
        continue
    }
    $parameters[$name] = [ordered]@{}
    foreach ($parameter in $command.Parameters.Values) {
        $type = $parameter.ParameterType
        $elementType = if ($type.IsArray) { $type.GetElementType() } else { $type }
        $parameters[$name][$parameter.Name] = [ordered]@{
            type = $type.FullName
            enum = if ($elementType.IsEnum) { @([Enum]::GetNames($elementType)) } else { $null }
            sets = @($parameter.ParameterSets.Keys)
        }
    }
}
Save-Json -Name 'cmdlet_parameters.json' -Value $parameters

# --- the read phase of hyperv_firewall_vm_setting.ps1, for WSL's creator (its exact shape)
$objects = @(
    @{ noun = 'NetFirewallHyperVVMSetting'; identity = @{ Name = $wslCreator }; report = $settingProperties; effective = @{ Name = $wslCreator; PolicyStore = 'ActiveStore' } }
)
foreach ($profileName in @('Domain', 'Private', 'Public')) {
    $objects += @{ noun = 'NetFirewallHyperVProfile'; identity = @{ Name = $wslCreator; Profile = $profileName }; report = $profileProperties; effective = @{ All = $true; PolicyStore = 'ActiveStore' } }
}
$readObjects = foreach ($object in $objects) {
    $identity = $object.identity
    $effectiveQuery = $object.effective
    $existing = @(Invoke-Recorded -Name "Get-$($object.noun) $($identity.Values -join ' ')" -Read { & "Get-$($object.noun)" @identity -ErrorAction Stop })
    $effective = @(Invoke-Recorded -Name "Get-$($object.noun) ActiveStore" -Read { & "Get-$($object.noun)" @effectiveQuery -ErrorAction Stop })
    [ordered]@{
        noun = $object.noun
        identity = $identity
        match_count = $existing.Count
        raw = if ($existing.Count -gt 0) { Get-RawObject -InputObject $existing[0] -Property $object.report } else { $null }
        raw_effective = @($effective | ForEach-Object { Get-RawObject -InputObject $_ -Property $object.report })
        effective_read_error = $null
    }
}
$creators = Invoke-Recorded -Name 'Get-NetFirewallHyperVVMCreator' -Read { @(Get-NetFirewallHyperVVMCreator -ErrorAction Stop | ForEach-Object { [string]$_.VMCreatorId }) }
$namesOnly = [ordered]@{}
foreach ($entry in $parameters.GetEnumerator()) {
    $namesOnly[$entry.Key] = if ($null -eq $entry.Value) { $null } else { @($entry.Value.Keys) }
}
Save-Json -Name 'hyperv_firewall_vm_setting_read.json' -Value ([ordered]@{
    _source = "recorded with tools/record-windows-fixtures.ps1 on Windows $($version.CurrentBuild).$($version.UBR)"
    changed = $false
    objects = @($readObjects)
    vm_creators = $creators
    vm_creator_read_error = $null
    cmdlet_parameters = $namesOnly
})

# --- all three policy stores
$storeDump = [ordered]@{}
foreach ($store in $stores) {
    $storeDump[$store] = [ordered]@{
        vm_settings = @(Invoke-Recorded -Name "Get-NetFirewallHyperVVMSetting $store" -Read { Get-NetFirewallHyperVVMSetting -PolicyStore $store -ErrorAction Stop } | ForEach-Object { Get-RawObject -InputObject $_ -Property $settingProperties })
        profiles = @(Invoke-Recorded -Name "Get-NetFirewallHyperVProfile $store" -Read { Get-NetFirewallHyperVProfile -All -PolicyStore $store -ErrorAction Stop } | ForEach-Object { Get-RawObject -InputObject $_ -Property $profileProperties })
        rules = @(Invoke-Recorded -Name "Get-NetFirewallHyperVRule $store" -Read { Get-NetFirewallHyperVRule -All -PolicyStore $store -ErrorAction Stop } | ForEach-Object { Get-RawObject -InputObject $_ -Property $ruleProperties })
    }
}
$storeDump.vm_creators = @(Invoke-Recorded -Name 'Get-NetFirewallHyperVVMCreator (all)' -Read { Get-NetFirewallHyperVVMCreator -ErrorAction Stop } | ForEach-Object { Get-RawObject -InputObject $_ -Property @('VMCreatorId', 'FriendlyName') })
$storeDump.ports = @(Invoke-Recorded -Name 'Get-NetFirewallHyperVPort' -Read { Get-NetFirewallHyperVPort -ErrorAction Stop } | ForEach-Object { Get-RawObject -InputObject $_ -Property @('PortName', 'VMCreatorId', 'Profile') })
$storeDump.profile_class_query = Invoke-Recorded -Name 'SELECT * FROM MSFT_NetFirewallHyperVProfile' -Read {
    @(Get-CimInstance -Namespace 'ROOT/StandardCimv2' -Query 'SELECT * FROM MSFT_NetFirewallHyperVProfile' -ErrorAction Stop).Count
}
Save-Json -Name 'hyperv_firewall_stores.json' -Value $storeDump

# --- wsl.exe from both paths, with and without WSL_UTF8
$system32 = Join-Path -Path $env:SystemRoot -ChildPath 'System32\wsl.exe'
$paths = [ordered]@{ system32 = $system32 }
if ($msi -and $msi.InstallLocation) {
    $paths.msi = Join-Path -Path $msi.InstallLocation -ChildPath 'wsl.exe'
}
$wslRuns = @()
foreach ($entry in $paths.GetEnumerator()) {
    foreach ($arguments in @('--version', '--list --verbose')) {
        foreach ($useUtf8 in @($true, $false)) {
            $label = "$($entry.Value) $arguments"
            $run = Invoke-Recorded -Name $label -Read {
                Invoke-Wsl -FileName $entry.Value -Arguments $arguments -SetUtfEnv $useUtf8
            }
            $wslRuns += [ordered]@{ source = $entry.Key; path = $entry.Value; arguments = $arguments; wsl_utf8 = $useUtf8; result = $run }
        }
    }
}
Save-Json -Name 'wsl_exe.json' -Value $wslRuns

# --- the registry keys wsl_host_facts.ps1 reads
$lxss = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Lxss'
Save-Json -Name 'registry.json' -Value ([ordered]@{
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss' = Get-RegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss'
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi' = $msi
    'HKLM\SOFTWARE\Policies\WSL' = Get-RegistryKey -Path 'HKLM:\SOFTWARE\Policies\WSL'
    'HKLM\SYSTEM\CurrentControlSet\Services\MpsSvc\Parameters' = Get-RegistryKey -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\MpsSvc\Parameters'
    'HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters' = Get-RegistryKey -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters'
    'HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss' = Get-RegistryKey -Path $lxss
    distributions = @(Get-ChildItem -LiteralPath $lxss -ErrorAction SilentlyContinue | ForEach-Object { [ordered]@{ guid = $_.PSChildName; values = (Get-RegistryKey -Path $_.PSPath) } })
})

# --- error records of reads that fail on purpose (nothing is written)
$null = Invoke-Recorded -Name 'Get-NetFirewallHyperVVMSetting of an unknown creator' -Read { Get-NetFirewallHyperVVMSetting -Name '{00000000-0000-0000-0000-000000000000}' -ErrorAction Stop }
$null = Invoke-Recorded -Name 'Get-NetFirewallHyperVRule of an unknown name' -Read { Get-NetFirewallHyperVRule -Name 'effective-wsl-recorder-no-such-rule' -ErrorAction Stop }
Save-Json -Name 'errors.json' -Value @($errors)
Write-Output "Review the files in $target (they name your user, computer and distributions) before you share them."
