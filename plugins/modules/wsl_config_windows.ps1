#!powershell

# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# The Windows half of effective.wsl.wsl_config: reports the file, or replaces it by compare-and-swap. It decides
# nothing; the wsl_config action plugin validates the options and computes the new bytes in Python.
# Sources:
# - Reparse points are how NTFS implements symbolic links, junctions and mount points; the attribute is
#   FileAttributes.ReparsePoint:
#   https://learn.microsoft.com/windows-server/administration/windows-commands/fsutil-reparsepoint
# - ReplaceFile (behind [IO.File]::Replace) gives the replacement the name and identity of the replaced file,
#   keeps its attributes and ACLs, and needs write access to the replaced file:
#   https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-replacefilew
# - A named mutex orders runs on one host; WaitOne on a mutex whose owner died without releasing it throws
#   AbandonedMutexException and the caller then owns it:
#   https://learn.microsoft.com/dotnet/api/system.threading.abandonedmutexexception
# - The "Global\" prefix puts the mutex in the namespace every session shares, so a WinRM run and an interop run
#   of the same user exclude each other: https://learn.microsoft.com/windows/win32/termserv/kernel-object-namespaces

$spec = @{
    options = @{
        path = @{ type = 'str'; required = $true }
        write = @{ type = 'bool'; default = $false }
        expected_sha256 = @{ type = 'str'; default = '' }
        content = @{ type = 'str'; default = '' }
        backup = @{ type = 'bool'; default = $false }
    }
    supports_check_mode = $true
}

$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$path = [Environment]::ExpandEnvironmentVariables($module.Params.path)
$module.Result.path = $path
$tempSuffix = '.effective-wsl.tmp'

Function Read-State {
    # exists, sha256 and base64 content of a regular file; fails for a directory or a reparse point.
    param([string]$Path)
    if ([System.IO.Directory]::Exists($Path)) {
        $module.FailJson("$Path is a directory, not a file; nothing was read or written")
    }
    $info = [System.IO.FileInfo]::new($Path)
    if (-not $info.Exists) {
        return @{ exists = $false; sha256 = ''; content = '' }
    }
    if ($info.Attributes -band [System.IO.FileAttributes]::ReparsePoint) {
        $module.FailJson("$Path is a reparse point (a symbolic link or junction); it is neither read nor written")
    }
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes)) -replace '-', '').ToLowerInvariant()
    @{ exists = $true; sha256 = $hash; content = [Convert]::ToBase64String($bytes) }
}

Function Remove-StaleTemp {
    # Temporary files of killed runs; called only while holding the mutex, so no run is writing them.
    param([string]$Directory, [string]$Name)
    foreach ($stale in [System.IO.Directory]::GetFiles($Directory, ".$Name.*$tempSuffix")) {
        [System.IO.File]::Delete($stale)
    }
}

$state = Read-State -Path $path
if (-not $module.Params.write -or $module.CheckMode) {
    $module.Result.exists = $state.exists
    $module.Result.sha256 = $state.sha256
    $module.Result.content = $state.content
    $module.ExitJson()
}

$sha = [System.Security.Cryptography.SHA256]::Create()
$pathKey = [System.Text.Encoding]::UTF8.GetBytes($path.ToLowerInvariant())
$mutexName = 'Global\effective.wsl.wsl_config.' + ([System.BitConverter]::ToString($sha.ComputeHash($pathKey)) -replace '-', '')
$mutex = [System.Threading.Mutex]::new($false, $mutexName)
try {
    try {
        $acquired = $mutex.WaitOne(300000)
    }
    catch [System.Threading.AbandonedMutexException] {
        $acquired = $true
    }
    if (-not $acquired) {
        $module.FailJson("another run has held the lock on $path for more than 300 seconds; nothing was written")
    }
    try {
        $directory = [System.IO.Path]::GetDirectoryName($path)
        $name = [System.IO.Path]::GetFileName($path)
        Remove-StaleTemp -Directory $directory -Name $name
        $state = Read-State -Path $path
        if ($state.sha256 -ne $module.Params.expected_sha256) {
            $module.Result.conflict = $true
            $module.Result.exists = $state.exists
            $module.Result.sha256 = $state.sha256
            $module.Result.content = $state.content
            $module.ExitJson()
        }
        $temp = [System.IO.Path]::Combine($directory, ".$name." + [Guid]::NewGuid().ToString('N') + $tempSuffix)
        try {
            $bytes = [Convert]::FromBase64String($module.Params.content)
            $stream = [System.IO.FileStream]::new($temp, 'CreateNew', 'Write', 'None')
            try {
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush($true)
            }
            finally {
                $stream.Dispose()
            }
            if ($state.exists) {
                $backupPath = $null
                if ($module.Params.backup) {
                    $backupPath = '{0}.{1}.{2}.bak' -f $path, $PID, (Get-Date -Format 'yyyyMMdd-HHmmss')
                    $module.Result.backup_file = $backupPath
                }
                [System.IO.File]::Replace($temp, $path, $backupPath)
            }
            else {
                [System.IO.File]::Move($temp, $path)
            }
        }
        finally {
            if ([System.IO.File]::Exists($temp)) {
                [System.IO.File]::Delete($temp)
            }
        }
        $module.Result.changed = $true
    }
    finally {
        $mutex.ReleaseMutex()
    }
}
finally {
    $mutex.Dispose()
}
$module.ExitJson()
