Gem::Specification.new do |s|
  s.name = "acme"
  s.version = "0.1.0"
  s.summary = "fixture for pkgward codescan tests"
  s.authors = ["fixture"]
  s.files = Dir["lib/**/*.rb", "ext/**/*"]
  s.extensions = ["ext/acme/extconf.rb"]
end
