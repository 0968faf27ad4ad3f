# effective.wsl pull mode, Windows side (role effective.wsl.wsl_pull). The scheduled task registered by
# effective.wsl.wsl_pull_task runs this as the logged-on user, with limited rights; every argument was validated in
# Python when the task was registered (plugins/plugin_utils/_pulltask.py).
#
# 1. For each distro, runs wsl_pull.sh inside it as root with the real wsl.exe, one distro after the other.
# 2. Reads the status records the runs wrote and does the WSL restart they need (wsl --terminate <distro>, or one
#    wsl --shutdown that covers them all) when -RestartPolicy auto and no other WSL session of this user is
#    active; otherwise leaves it recorded.
# 3. Writes its own record, runner.json, next to the status records (format effective.wsl.pull_runner, version 1):
#    effective.wsl.wsl_host_facts reads both (plugins/plugin_utils/_pullstatus.py interprets them).
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$Distros,
    [Parameter(Mandatory = $true)][string]$Url,
    [Parameter(Mandatory = $true)][string]$Ref,
    [string]$Playbook = 'local.yml',
    [string]$Inventory = '',
    [string]$Limit = '',
    [ValidateSet('auto', 'never')][string]$RestartPolicy = 'auto',
    [string]$AnsibleCore = 'ansible-core>=2.16'
)

$ErrorActionPreference = 'Stop'
$statusDir = Join-Path -Path $env:USERPROFILE -ChildPath 'AppData\Local\effective.wsl\pull'
$null = New-Item -ItemType Directory -Force -Path $statusDir

Function Get-UtcNow {
    (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
}

Function Get-WslExe {
    # The real wsl.exe is under the Lxss\Msi InstallLocation (WSL reads the same key, src/windows/common/wslutil.cpp);
    # the System32 one is a stub that fails outside an interactive session (microsoft/WSL#9231). System32 only for
    # the inbox WSL, which has no such key.
    $msi = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi' -Name InstallLocation -ErrorAction SilentlyContinue
    if ($msi -and $msi.InstallLocation) {
        $path = Join-Path -Path $msi.InstallLocation -ChildPath 'wsl.exe'
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            return $path
        }
    }
    Join-Path -Path $env:SystemRoot -ChildPath 'System32\wsl.exe'
}

Function Invoke-Wsl {
    # Start-Process passes one argument string verbatim (-ArgumentList in
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.management/start-process); only the two
    # paths can hold spaces, and no value holds '"'.
    param([string]$Arguments, [string]$Log)
    $process = Start-Process -FilePath $wslExe -ArgumentList $Arguments -NoNewWindow -Wait -PassThru `
        -RedirectStandardOutput $Log -RedirectStandardError "$Log.err"
    $process.ExitCode
}

$started = Get-UtcNow
$wslExe = Get-WslExe
$env:WSL_UTF8 = '1'  # wsl.exe writes UTF-8, not UTF-16LE (microsoft/WSL src/windows/common/WslClient.cpp)
$scriptDir = $PSScriptRoot
$runs = [System.Collections.ArrayList]::new()

foreach ($distro in $Distros.Split(',')) {
    $arguments = "-d $distro -u root --cd `"$scriptDir`" --exec /bin/sh ./wsl_pull.sh --url $Url --ref $Ref " +
    "--playbook $Playbook --status-dir `"$statusDir`" --restart-policy $RestartPolicy --ansible-core $AnsibleCore"
    if ($Inventory) {
        $arguments += " --inventory $Inventory"
    }
    if ($Limit) {
        $arguments += " --limit $Limit"
    }
    $log = Join-Path -Path $statusDir -ChildPath "pull-$distro.log"
    try {
        $code = Invoke-Wsl -Arguments $arguments -Log $log
    }
    catch {
        $code = -1
        Set-Content -LiteralPath "$log.err" -Value $_.Exception.Message
    }
    $null = $runs.Add(@{ name = $distro; exit_code = $code })
}

# The restarts the runs of this task recorded (records older than this task's start are not ours to act on).
$restarts = [System.Collections.ArrayList]::new()
foreach ($run in $runs) {
    $path = Join-Path -Path $statusDir -ChildPath "status-$($run.name).json"
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        continue
    }
    $record = Get-Content -LiteralPath $path -Raw -Encoding UTF8 | ConvertFrom-Json
    $ours = [string]::CompareOrdinal([string]$record.time, $started) -ge 0  # same ISO 8601 UTC format
    if ($ours -and $record.restart.required -ne 'none') {
        $null = $restarts.Add(@{ required = [string]$record.restart.required; distro = $run.name })
    }
}
$commands = @()
if ($restarts | Where-Object { $_.required -eq 'wsl_shutdown' }) {
    $commands = @('--shutdown')  # it stops every distro of the user: it covers the terminates
}
else {
    $commands = @($restarts | ForEach-Object { "--terminate $($_.distro)" })
}

$restart = @{ action = 'none'; commands = @(); exit_code = $null; reason = $null }
if ($commands.Count -gt 0) {
    $restart.commands = @($commands | ForEach-Object { "wsl.exe $_" })
    # Another session of this user's WSL VM: a wsl.exe or wslhost.exe of this logon session other than ours (ours
    # have ended). Unverified heuristic: WSL has no documented "sessions of my VM" query.
    $session = [System.Diagnostics.Process]::GetCurrentProcess().SessionId
    $others = @(Get-Process -Name @('wsl', 'wslhost') -ErrorAction SilentlyContinue | Where-Object { $_.SessionId -eq $session })
    if ($RestartPolicy -ne 'auto') {
        $restart.action = 'deferred'
        $restart.reason = 'restart policy never: run it when convenient'
    }
    elseif ($others.Count -gt 0) {
        $restart.action = 'deferred'
        $restart.reason = "another WSL session of the user is active ($($others.Count) wsl.exe/wslhost.exe processes)"
    }
    else {
        $restart.action = 'ran'
        $restart.exit_code = 0
        foreach ($command in $commands) {
            $code = Invoke-Wsl -Arguments $command -Log (Join-Path -Path $statusDir -ChildPath 'restart.log')
            if ($code -ne 0) {
                $restart.exit_code = $code
            }
        }
    }
}

$runner = [ordered]@{
    format = 'effective.wsl.pull_runner'
    version = 1
    started = $started
    finished = Get-UtcNow
    wsl_exe = $wslExe
    distros = @($runs)
    restart = $restart
}
$json = $runner | ConvertTo-Json -Depth 5
$temporary = Join-Path -Path $statusDir -ChildPath 'runner.json.tmp'
[System.IO.File]::WriteAllText($temporary, $json, [System.Text.UTF8Encoding]::new($false))
Move-Item -LiteralPath $temporary -Destination (Join-Path -Path $statusDir -ChildPath 'runner.json') -Force
