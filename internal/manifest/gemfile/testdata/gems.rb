source 'https://rubygems.org'
gem(
  'rack',
  '>= 2.2', '< 4',
)
gem"roda"
	gem	"tab-indented"
