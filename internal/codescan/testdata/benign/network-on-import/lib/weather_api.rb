require 'net/http'
require 'json'

# An HTTP client: the network is used only when a method is called.
module WeatherApi
  BASE = 'https://api.weather.example.invalid/v1'

  def self.forecast(city)
    body = Net::HTTP.get(URI("#{BASE}/forecast?q=#{city}"))
    JSON.parse(body)
  end

  def self.open_in_shell(city)
    system('xdg-open', "#{BASE}/map?q=#{city}")
  end
end
