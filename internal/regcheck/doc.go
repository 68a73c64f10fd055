// Package regcheck judges registry configuration: the settings
// internal/manifest/registryconf reads from .npmrc, pip.conf, nuget.config,
// go.env and the other files that say where packages come from. It is an
// analyzer in the sense of the architecture: pure (no I/O, no printing, no
// global state), given everything at construction (a judge of host names,
// normally the lookalike-domain engine of internal/domain), returning
// findings with stable rule ids:
//
//   - registry-lookalike: the host of a registry, index or proxy URL imitates
//     a protected domain (npmjs.org, pypi.org, golang.org, …);
//   - registry-http: a registry, index or proxy reached over plain http://
//     (or git://), except on the loopback interface;
//   - registry-credential-in-url: a password or token written in a URL;
//   - registry-credential-in-config: a clear-text credential written in a
//     configuration file (an npm _authToken, a NuGet ClearTextPassword, a
//     Cargo token), where an environment variable reference would do;
//   - registry-extra-index: an index searched in addition to the default
//     one for every package, the setting behind dependency confusion;
//   - checksum-disabled: checksum, signature or TLS verification switched
//     off (GOSUMDB=off, broad GONOSUMDB/GOPRIVATE/GOINSECURE patterns,
//     GOFLAGS=-insecure, strict-ssl=false, pip trusted-host, …);
//   - registry-unofficial (info): a registry that is neither official nor a
//     lookalike, normal for a private registry or mirror.
//
// Settings carry no secrets (registryconf withholds them), and every URL
// this package writes into a message or evidence is passed through
// registryconf.RedactURL again, so a secret cannot reach a report.
package regcheck
