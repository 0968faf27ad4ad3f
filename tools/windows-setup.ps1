<#
.SYNOPSIS
    Make this Windows workstation reachable from its own WSL distros over WinRM HTTPS, for effective.wsl's site.yml.

.DESCRIPTION
    Run once, in Windows PowerShell 5.1 or PowerShell 7, as Administrator. It
      1. starts the WinRM service and sets it to start automatically (on Windows 10/11 client editions it is
         Manual and stopped until Enable-PSRemoting or winrm quickconfig; a listener cannot be created before),
      2. creates a self-signed certificate for the addresses the distro uses - this computer's name, localhost,
         127.0.0.1 (mirrored networking) and the address of every vEthernet (WSL...) adapter (NAT networking:
         there may be none, one, or two when the Hyper-V firewall variant exists next to the plain one),
      3. replaces the HTTPS listener on 5986 with one using that certificate, turns Basic authentication and
         unencrypted traffic off,
      4. adds a Windows Defender Firewall rule for TCP 5986 scoped to the WSL subnets (NAT) and to loopback
         (mirrored) - never to every address,
      5. with -LocalAdministrator only, sets LocalAccountTokenFilterPolicy=1, without which a local
         administrator account (other than the built-in one) gets a filtered, non-elevated token over the
         network (Enable-PSRemoting sets the same value); domain accounts do not need it,
      6. exports the certificate (DER .cer and PEM) and prints the inventory variables for the distro.

    Account choices, spelled out:
      - a domain account: no LocalAccountTokenFilterPolicy needed; Kerberos needs a host NAME with an HTTP/<name>
        SPN, so connecting to an IP address (the NAT gateway, 127.0.0.1) means NTLM;
      - a local administrator account: -LocalAdministrator, NTLM;
      - an Entra-ID-only machine has no domain account for NTLM or Kerberos: use a local account.

    Sources:
      - Enable-PSRemoting (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enable-psremoting):
        it starts WinRM and sets it to Automatic, remoting being on by default only on Windows Server (step 1);
      - about_Remote_Troubleshooting
        (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting),
        "How to use an IP address in a remote command": Kerberos does not support IP addresses, NTLM is used;
      - UAC remote restrictions (https://support.microsoft.com/kb/951016): a local administrator account connects
        with a filtered token unless LocalAccountTokenFilterPolicy=1, a domain account with a full one (step 5);
      - New-SelfSignedCertificate -TextExtension with 2.5.29.17={text}DNS=...&IPAddress=...
        (https://learn.microsoft.com/powershell/module/pki/new-selfsignedcertificate) (step 2);
      - the WSL NAT network names "WSL" and "WSL (Hyper-V firewall)" (microsoft/WSL
        src/windows/common/WslCoreConfig.cpp, NatNetworkName), each behind a vEthernet (...) adapter (microsoft/WSL#10682);
      - host firewall rules based on addresses and ports are merged into the Hyper-V firewall (AllowHostPolicyMerge in
        MicrosoftDocs/windows-powershell-docs docset/winserver2025-ps/netsecurity/Set-NetFirewallHyperVVMSetting.md),
        whose DefaultOutboundAction for WSL is Allow in the public capture that
        tests/unit/fixtures/hyperv_firewall/README.md names (step 4).
      Unverified: that a listener cannot be created before WinRM runs (the service order of step 1 is the safe one).

.PARAMETER LocalAdministrator
    The account Ansible connects with is a local (non built-in) administrator: set LocalAccountTokenFilterPolicy=1.

.PARAMETER User
    The account name to print in the inventory variables (default: the current user).

.PARAMETER OutDirectory
    Where to write winrm-listener.cer and winrm-listener.pem (default: the current user's Downloads folder).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\tools\windows-setup.ps1 -LocalAdministrator
#>
[CmdletBinding()]
param (
    [switch]$LocalAdministrator,
    [string]$User = [System.Security.Principal.WindowsIdentity]::GetCurrent().Name,
    [string]$OutDirectory = (Join-Path -Path $env:USERPROFILE -ChildPath 'Downloads')
)

$ErrorActionPreference = 'Stop'
$ruleName = 'effective.wsl-WinRM-HTTPS-from-WSL'

$principal = [System.Security.Principal.WindowsPrincipal]::new([System.Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run this script in an elevated PowerShell (Run as administrator).'
}

# 1. The WinRM service first: WSMan:\ and its listeners need it running.
Set-Service -Name WinRM -StartupType Automatic
Start-Service -Name WinRM

# 2. The addresses the distro uses. NAT: each vEthernet (WSL...) adapter (none until WSL started since boot, or in
# mirrored mode; two when both variants exist). Mirrored: 127.0.0.1.
$adapters = @(Get-NetIPAddress -InterfaceAlias 'vEthernet (WSL*' -AddressFamily IPv4 -ErrorAction SilentlyContinue)
if ($adapters.Count -eq 0) {
    Write-Warning 'No vEthernet (WSL...) adapter: start a distro first for NAT mode; continuing for mirrored mode (127.0.0.1) only.'
}
$san = @("DNS=$env:COMPUTERNAME", 'DNS=localhost', 'IPAddress=127.0.0.1')
$remoteAddresses = @('127.0.0.1')
foreach ($adapter in $adapters) {
    $san += "IPAddress=$($adapter.IPAddress)"
    $remoteAddresses += "$($adapter.IPAddress)/$($adapter.PrefixLength)"
}

$cert = New-SelfSignedCertificate -CertStoreLocation 'Cert:\LocalMachine\My' `
    -Subject "CN=$env:COMPUTERNAME WinRM for WSL" `
    -TextExtension @("2.5.29.17={text}$($san -join '&')") `
    -KeyExportPolicy NonExportable -NotAfter (Get-Date).AddYears(2)

# 3. One HTTPS listener on every address, with this certificate; no Basic, no unencrypted traffic.
Get-ChildItem -Path WSMan:\localhost\Listener |
    Where-Object { $_.Keys -contains 'Transport=HTTPS' } |
    Remove-Item -Recurse -Force
$null = New-Item -Path WSMan:\localhost\Listener -Transport HTTPS -Address * -CertificateThumbPrint $cert.Thumbprint -Force
Set-Item -Path WSMan:\localhost\Service\Auth\Basic -Value $false
Set-Item -Path WSMan:\localhost\Service\AllowUnencrypted -Value $false

# 4. The host firewall rule, scoped: traffic from the distro to Windows crosses the host's Defender firewall (and the
# Hyper-V firewall's outbound default, Allow for WSL); Hyper-V firewall rules cannot open WinRM for the distro.
Get-NetFirewallRule -Name $ruleName -ErrorAction SilentlyContinue | Remove-NetFirewallRule
$null = New-NetFirewallRule -Name $ruleName -DisplayName 'WinRM over HTTPS from WSL (effective.wsl)' `
    -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5986 -RemoteAddress $remoteAddresses -Profile Any

# 5. Only for a local administrator account.
if ($LocalAdministrator) {
    $null = New-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' `
        -Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord -Force
}

Restart-Service -Name WinRM

# 6. The CA file to trust in the distro, and the inventory variables.
$null = New-Item -ItemType Directory -Path $OutDirectory -Force
$cerPath = Join-Path -Path $OutDirectory -ChildPath 'winrm-listener.cer'
$pemPath = Join-Path -Path $OutDirectory -ChildPath 'winrm-listener.pem'
$null = Export-Certificate -Cert $cert -FilePath $cerPath -Type CERT
$base64 = [Convert]::ToBase64String($cert.RawData, [Base64FormattingOptions]::InsertLineBreaks)
[System.IO.File]::WriteAllText($pemPath, "-----BEGIN CERTIFICATE-----`n$($base64 -replace "`r", '')`n-----END CERTIFICATE-----`n")

$addresses = @($adapters | ForEach-Object { $_.IPAddress }) + @('127.0.0.1')
Write-Output ''
Write-Output "WinRM HTTPS listener ready (certificate $($cert.Thumbprint), firewall rule $ruleName)."
Write-Output "Trust this CA file in the distro: $pemPath"
Write-Output "  e.g. cp `"$(($pemPath -replace '^([A-Za-z]):', '/mnt/$1') -replace '\\', '/')`" playbooks/inventory/winrm-ca.pem  (drive letter in lower case)"
Write-Output ''
Write-Output '# playbooks/inventory/group_vars/all/site.yml'
Write-Output "wsl_windows_user: `"$($User -replace '\\', '\\')`""
Write-Output "# the address the distro uses: NAT $($adapters | ForEach-Object { $_.IPAddress }) / mirrored 127.0.0.1"
Write-Output "# wsl_windows_address: `"$($addresses[0])`""
Write-Output '# playbooks/inventory/group_vars/wsl_windows/connection.yml (already so in the example inventory)'
Write-Output 'ansible_connection: winrm'
Write-Output 'ansible_port: 5986'
Write-Output 'ansible_winrm_scheme: https'
Write-Output 'ansible_winrm_server_cert_validation: validate'
Write-Output 'ansible_winrm_transport: ntlm  # an IP address cannot carry Kerberos (no HTTP/<name> SPN)'
Write-Output 'ansible_winrm_message_encryption: always'
