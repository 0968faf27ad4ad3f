#!powershell

# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# Reads raw WSL-related state only; the action plugin of the same name interprets it in Python.
# Every read is wrapped: a failing read yields null plus an entry in 'errors', never a module failure.

$spec = @{
    options = @{
        user = @{ type = 'str' }
    }
    supports_check_mode = $true
}

$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$errors = [System.Collections.ArrayList]::new()

Function Invoke-Read {
    param([System.Collections.ArrayList]$Errors, [string]$Name, [scriptblock]$Read)
    try {
        & $Read
    }
    catch {
        $null = $Errors.Add(@{ read = $Name; message = $_.Exception.Message })
        $null
    }
}

Function Get-RegistryValue {
    # Values of one key as a hashtable (REG_BINARY as base64, REG_EXPAND_SZ unexpanded); null when absent.
    param([string]$Path)
    $key = Get-Item -LiteralPath $Path -ErrorAction SilentlyContinue
    if ($null -eq $key) {
        return $null
    }
    $values = @{}
    foreach ($name in $key.GetValueNames()) {
        if ($name -eq '') {
            continue
        }
        $value = $key.GetValue($name, $null, 'DoNotExpandEnvironmentNames')
        if ($value -is [byte[]]) {
            $value = [Convert]::ToBase64String($value)
        }
        $values[$name] = $value
    }
    $values
}

Function Invoke-RawCommand {
    # Runs a program and returns stdout as base64 bytes. WSL_UTF8=1 makes wsl.exe write UTF-8, anything else UTF-16LE
    # without BOM (microsoft/WSL src/windows/common/WslClient.cpp: getenv("WSL_UTF8") picks _O_U8TEXT or _O_U16TEXT;
    # inbox WSL predates the variable): the action plugin decodes either (ansible-collections/ansible.windows#481
    # shows the NUL-padded text).
    param([string]$FileName, [string]$Arguments)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($FileName, $Arguments)
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.CreateNoWindow = $true
    $startInfo.EnvironmentVariables['WSL_UTF8'] = '1'
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = [System.IO.MemoryStream]::new()
    $copy = $process.StandardOutput.BaseStream.CopyToAsync($stdout)
    if (-not $process.WaitForExit(60000)) {
        $process.Kill()
        throw "$FileName $Arguments did not finish within 60 seconds"
    }
    $copy.Wait()
    @{
        rc = $process.ExitCode
        stdout_base64 = [Convert]::ToBase64String($stdout.ToArray())
        stderr = $stderr.Result
    }
}

$current = [System.Security.Principal.WindowsIdentity]::GetCurrent()
$userName = $module.Params.user
if ($userName) {
    try {
        $account = [System.Security.Principal.NTAccount]::new($userName)
        $sid = $account.Translate([System.Security.Principal.SecurityIdentifier]).Value
    }
    catch {
        $module.FailJson("user: '$userName' is not a known Windows account ($($_.Exception.Message)); give a name like 'DOMAIN\name' or 'name'", $_)
    }
}
else {
    $userName = $current.Name
    $sid = $current.User.Value
}
$isCurrentUser = $sid -eq $current.User.Value
$userHive = "Registry::HKEY_USERS\$sid"
$lxss = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss'

# WSL reads the .wslconfig of GetUserProfileDirectoryW for the VM's user (microsoft/WSL src/windows/common/helpers.cpp,
# GetUserProfilePath). For a user other than the connection's there is no token, so the profile folder comes from
# ProfileList\<SID>\ProfileImagePath. Unverified: Microsoft documents no ProfileList layout (third-party description:
# http://precedence.co.uk/wiki/Support-KB-Windows/ProfileStates).
$profileDir = Invoke-Read -Errors $errors -Name 'profile' -Read {
    $profileKey = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid"
    (Get-ItemProperty -LiteralPath $profileKey -Name ProfileImagePath -ErrorAction Stop).ProfileImagePath
}

$wslconfig = Invoke-Read -Errors $errors -Name 'wslconfig' -Read {
    if (-not $profileDir) {
        throw "the profile directory of $userName is unknown"
    }
    $path = Join-Path -Path $profileDir -ChildPath '.wslconfig'
    $exists = Test-Path -LiteralPath $path -PathType Leaf
    $content = $null
    if ($exists) {
        $content = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($path))
    }
    @{ path = $path; exists = $exists; content_base64 = $content }
}

# The records of effective.wsl.wsl_pull (its pull runs and its scheduled task); Python parses them.
$pullStatus = Invoke-Read -Errors $errors -Name 'pull_status' -Read {
    if (-not $profileDir) {
        throw "the profile directory of $userName is unknown"
    }
    $dir = Join-Path -Path $profileDir -ChildPath 'AppData\Local\effective.wsl\pull'
    if (Test-Path -LiteralPath $dir -PathType Container) {
        $files = foreach ($file in (Get-ChildItem -LiteralPath $dir -Filter '*.json' -File | Where-Object Length -le 65536)) {
            @{ name = $file.Name; content_base64 = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($file.FullName)) }
        }
        @{ dir = $dir; files = @($files) }
    }
}

$hiveLoaded = Test-Path -LiteralPath $userHive
if (-not $hiveLoaded) {
    $null = $errors.Add(@{ read = 'user_hive'; message = "the registry hive of $userName ($sid) is not loaded" })
}

# The real wsl.exe is the one under Lxss\Msi InstallLocation (WSL itself reads that value:
# microsoft/WSL src/windows/common/wslutil.cpp, GetMsiPackagePath). The System32 one is a stub that, from
# session 0 (WinRM, OpenSSH), often fails with error 1920 (microsoft/WSL#9231, #9620, #7900); it is used
# only when the key is absent (inbox WSL).
$msiKey = Invoke-Read -Errors $errors -Name 'wsl_msi' -Read { Get-RegistryValue -Path "$lxss\Msi" }
$wslExe = @{ source = 'system32'; path = Join-Path -Path $env:SystemRoot -ChildPath 'System32\wsl.exe' }
if ($msiKey -and $msiKey.InstallLocation) {
    $wslExe = @{ source = 'msi'; path = Join-Path -Path $msiKey.InstallLocation -ChildPath 'wsl.exe' }
}
$wslExe.exists = Test-Path -LiteralPath $wslExe.path -PathType Leaf

if ($isCurrentUser) {
    # wsl.exe lists the distributions of the user it runs as. The HKCU Lxss layout is not an interface
    # (maintainers in microsoft/WSL#3515 and #5578): ask wsl.exe for the connection user.
    $distributions = Invoke-Read -Errors $errors -Name 'distributions' -Read {
        @{ source = 'wsl_list'; wsl_list = (Invoke-RawCommand -FileName $wslExe.path -Arguments '--list --verbose') }
    }
}
else {
    # Another user's distributions: wsl.exe cannot list them, their hive is the only source. Layout: one subkey per
    # distribution with DistributionName, BasePath, Version, Flags, and DefaultDistribution on the parent
    # (microsoft/WSL src/windows/service/exe/DistributionRegistration.h and .cpp).
    $distributions = Invoke-Read -Errors $errors -Name 'distributions' -Read {
        if ($hiveLoaded) {
            $userLxss = "$userHive\Software\Microsoft\Windows\CurrentVersion\Lxss"
            $entries = foreach ($child in (Get-ChildItem -LiteralPath $userLxss -ErrorAction SilentlyContinue)) {
                @{ guid = $child.PSChildName; values = (Get-RegistryValue -Path $child.PSPath) }
            }
            @{
                source = 'registry'
                default_distribution = (Get-RegistryValue -Path $userLxss).DefaultDistribution
                entries = @($entries)
            }
        }
    }
}

# Lxss\Msi Version is the installed package version WSL itself reads (microsoft/WSL src/windows/common/wslutil.cpp,
# GetInstalledPackageVersion); without it (inbox WSL) the localised wsl --version output is parsed.
$wslVersion = Invoke-Read -Errors $errors -Name 'wsl_version' -Read {
    if ($msiKey -and $msiKey.Version) {
        @{ source = 'registry'; version = $msiKey.Version; install_location = $msiKey.InstallLocation }
    }
    else {
        @{ source = 'wsl_version'; wsl_version = (Invoke-RawCommand -FileName $wslExe.path -Arguments '--version') }
    }
}

$hypervFirewallCmdlet = [bool](Get-Command -Name Get-NetFirewallHyperVVMSetting -ErrorAction SilentlyContinue)
$firewallVmSetting = $null
if ($hypervFirewallCmdlet) {
    # The applied settings of WSL's creator, read as Learn, "Hyper-V firewall" shows
    # (https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/hyper-v-firewall).
    $firewallVmSetting = Invoke-Read -Errors $errors -Name 'hyperv_firewall_vm_setting' -Read {
        $setting = Get-NetFirewallHyperVVMSetting -PolicyStore ActiveStore -Name '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' -ErrorAction Stop
        @{
            name = "$($setting.Name)"
            enabled = "$($setting.Enabled)"
            default_inbound_action = "$($setting.DefaultInboundAction)"
            default_outbound_action = "$($setting.DefaultOutboundAction)"
            loopback_enabled = "$($setting.LoopbackEnabled)"
            allow_host_policy_merge = "$($setting.AllowHostPolicyMerge)"
        }
    }
}
# The same two probes WSL makes (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp,
# GetHyperVFirewallSupportVersion): the class MSFT_NetFirewallHyperVVMCreator exists (v1), and
# "SELECT * FROM MSFT_NetFirewallHyperVProfile" succeeds, with any number of objects (v2).
$firewallSupport = @{ vm_creator_class = $false; profile_query = $false; profile_count = $null; error = $null }
try {
    $null = Get-CimClass -Namespace 'ROOT/StandardCimv2' -ClassName 'MSFT_NetFirewallHyperVVMCreator' -ErrorAction Stop
    $firewallSupport.vm_creator_class = $true
    $firewallSupport.profile_count = @(Get-CimInstance -Namespace 'ROOT/StandardCimv2' -Query 'SELECT * FROM MSFT_NetFirewallHyperVProfile' -ErrorAction Stop).Count
    $firewallSupport.profile_query = $true
}
catch {
    $firewallSupport.error = $_.Exception.Message
}

$module.Result.raw = @{
    user = $userName
    sid = $sid
    is_current_user = $isCurrentUser
    # Whether this session runs elevated (WindowsPrincipal.IsInRole,
    # https://learn.microsoft.com/dotnet/api/system.security.principal.windowsprincipal.isinrole). Over interop the
    # process is started by the user's wsl.exe or wslhost.exe and has its token (microsoft/WSL
    # doc/docs/technical-documentation/interop.md), so it is elevated only when WSL was started elevated.
    elevated = ([System.Security.Principal.WindowsPrincipal]$current).IsInRole(
        [System.Security.Principal.WindowsBuiltInRole]::Administrator)
    profile_dir = $profileDir
    wslconfig = $wslconfig
    pull_status = $pullStatus
    # WSL's policy key and value names: microsoft/WSL src/windows/inc/wslpolicies.h.
    policy = Invoke-Read -Errors $errors -Name 'policy' -Read { Get-RegistryValue -Path 'HKLM:\SOFTWARE\Policies\WSL' }
    # CurrentBuild and UBR are the values WSL reads for the Windows version (microsoft/WSL
    # src/windows/common/helpers.cpp, GetWindowsVersion); ProductName and DisplayVersion are only reported.
    os = Invoke-Read -Errors $errors -Name 'os' -Read {
        $version = Get-RegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
        @{
            CurrentBuild = $version.CurrentBuild
            UBR = $version.UBR
            ProductName = $version.ProductName
            DisplayVersion = $version.DisplayVersion
        }
    }
    wsl_exe = $wslExe
    wsl_version = $wslVersion
    distributions = $distributions
    # WSL's NAT network is named "WSL" or "WSL (Hyper-V firewall)" (microsoft/WSL src/windows/common/WslCoreConfig.cpp,
    # NatNetworkName); its host adapter is "vEthernet (<network>)" as real listings show (microsoft/WSL#10682).
    adapters = Invoke-Read -Errors $errors -Name 'adapters' -Read {
        $addresses = Get-NetIPAddress -InterfaceAlias 'vEthernet (WSL*' -AddressFamily IPv4 -ErrorAction SilentlyContinue
        foreach ($address in $addresses) {
            @{ interface_alias = $address.InterfaceAlias; ip_address = $address.IPAddress; prefix_length = [int]$address.PrefixLength }
        }
    }
    # NatGatewayIpAddress and NatNetwork (machine) and NatIpAddress (user) are where WSL persists its NAT addresses
    # (microsoft/WSL src/windows/common/WslCoreConfig.cpp, c_natGatewayAddress, c_natNetwork, c_natIpAddress).
    nat_machine = Invoke-Read -Errors $errors -Name 'nat_machine' -Read { Get-RegistryValue -Path $lxss }
    nat_user = Invoke-Read -Errors $errors -Name 'nat_user' -Read {
        if ($hiveLoaded) {
            Get-RegistryValue -Path "$userHive\Software\Microsoft\Windows\CurrentVersion\Lxss"
        }
    }
    hyperv_firewall_cmdlets = $hypervFirewallCmdlet
    hyperv_firewall_vm_setting = $firewallVmSetting
    hyperv_firewall_support = $firewallSupport
    # WSL's own kill switch reads (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp, c_mpssvcRegDisableKey;
    # src/windows/service/exe/WslCoreVm.cpp, DisabledComponents 0xFF turns mirrored into NAT).
    hyperv_firewall_disable = Invoke-Read -Errors $errors -Name 'hyperv_firewall_disable' -Read {
        (Get-RegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\MpsSvc\Parameters').HyperVFirewallDisable
    }
    tcpip6_disabled_components = Invoke-Read -Errors $errors -Name 'tcpip6_disabled_components' -Read {
        (Get-RegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters').DisabledComponents
    }
    # {374DE290-123F-4565-9164-39C4925E467B} is FOLDERID_Downloads (https://learn.microsoft.com/windows/win32/shell/knownfolderid).
    # Unverified: the User Shell Folders value names (the GUID for Downloads, Desktop, Personal for Documents) are not
    # documented by Microsoft (third-party: https://winreg-kb.readthedocs.io/en/latest/sources/explorer-keys/Shell-folders.html).
    shell_folders = Invoke-Read -Errors $errors -Name 'shell_folders' -Read {
        if ($hiveLoaded) {
            $folders = Get-RegistryValue -Path "$userHive\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
            @{
                downloads = $folders['{374DE290-123F-4565-9164-39C4925E467B}']
                desktop = $folders['Desktop']
                documents = $folders['Personal']
            }
        }
    }
    environment = @{ SystemDrive = $env:SystemDrive; SystemRoot = $env:SystemRoot; PUBLIC = $env:PUBLIC }
    errors = $errors
}

$module.ExitJson()
