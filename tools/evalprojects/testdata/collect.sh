#!/bin/sh
# collect.sh regenerates the npm-*.txt and go-*.txt name lists of this
# directory from the public registries, through their ordinary clients:
# `npm view` (the dependencies, devDependencies, peerDependencies and
# optionalDependencies of each project's latest release) and `go mod
# download -json MOD@latest` (the require lines of each module's go.mod).
# rails.txt and cargo.txt were taken by hand from those projects'
# lockfile and manifest (see their headers). Run from this directory.
set -eu
NPM="vite react next express webpack eslint jest @babel/core vue @angular/core svelte astro nuxt
 gatsby storybook prettier rollup mocha axios socket.io mongoose @nestjs/core electron puppeteer
 react-scripts webpack-cli tailwindcss postcss vitest lerna nx npm pnpm @vue/cli-service
 @typescript-eslint/eslint-plugin eslint-plugin-react @docusaurus/core @remix-run/dev
 @sveltejs/kit webpack-dev-server karma ts-node nodemon pm2 gulp grunt create-vite"
GO="github.com/prometheus/prometheus k8s.io/kubernetes github.com/hashicorp/terraform
 github.com/gohugoio/hugo github.com/spf13/viper go.etcd.io/etcd/server/v3
 github.com/containerd/containerd/v2 github.com/cli/cli/v2 github.com/caddyserver/caddy/v2
 github.com/traefik/traefik/v3 github.com/minio/minio github.com/hashicorp/vault
 github.com/hashicorp/consul helm.sh/helm/v3 istio.io/istio code.gitea.io/gitea
 github.com/golangci/golangci-lint/v2 github.com/goreleaser/goreleaser/v2 github.com/junegunn/fzf
 github.com/jesseduffield/lazygit github.com/syncthing/syncthing github.com/grafana/grafana
 github.com/docker/compose/v2 github.com/influxdata/telegraf github.com/nats-io/nats-server/v2"
for p in $NPM; do
	f="npm-$(echo "$p" | tr '/@' '__').txt"
	{
		echo "# ecosystem: npm"
		echo "# $p@latest: its dependencies, devDependencies, peerDependencies, optionalDependencies (npm view)"
		for k in dependencies devDependencies peerDependencies optionalDependencies; do
			npm view "$p" "$k" --json 2>/dev/null | sed -n 's/^ *"\([^"]*\)": .*/\1/p'
		done | sort -u
	} >"$f"
	grep -q -v '^#' "$f" || rm "$f" # no dependencies
done
for m in $GO; do
	f="go-$(echo "$m" | tr '/.' '__').txt"
	gomod=$(go mod download -json "$m@latest" | sed -n 's/^.*"GoMod": "\(.*\)",*$/\1/p')
	[ -n "$gomod" ] || continue # not served by the proxy
	{
		echo "# ecosystem: go"
		echo "# $m@latest: the modules its go.mod requires (go mod download -json)"
		awk '/^require \(/{r=1;next} r&&/^\)/{r=0} r&&NF{print $1} /^require [^(]/{print $2}' "$gomod" | sort -u
	} >"$f"
done
