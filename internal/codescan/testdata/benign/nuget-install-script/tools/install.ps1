param($installPath, $toolsPath, $package, $project)

# Marks the config file to be copied to the output folder. This script does
# not call Invoke-WebRequest or Start-Process; it only edits the project.
$item = $project.ProjectItems.Item("acme.logging.json")
$item.Properties.Item("CopyToOutputDirectory").Value = 2
Write-Host "Acme.Logging: acme.logging.json will be copied to the output folder."
