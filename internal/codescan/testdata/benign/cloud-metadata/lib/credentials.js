// Instance credentials for an SDK: asked for only when the caller
// configures "instance" credentials, never at install time.
const http = require('http');

const METADATA_HOST = '169.254.169.254';

exports.fromInstance = function fromInstance(cb) {
  http.get({ host: METADATA_HOST, path: '/latest/meta-data/iam/info', timeout: 1000 }, (res) => {
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => cb(null, JSON.parse(body)));
  }).on('error', cb);
};
