# Regenerates binstubs after a gem is installed; no network, no commands.
Gem.post_install do |installer|
  next unless installer.spec.executables.any?
  File.write(File.join(installer.bin_dir, '.binstubs-stale'), installer.spec.full_name)
end
