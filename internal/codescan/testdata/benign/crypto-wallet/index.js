// Connects a web page to the user's wallet through the standard provider.
export async function connect() {
  if (typeof window === 'undefined' || !window.ethereum) {
    throw new Error('No wallet found: install a browser wallet first.');
  }
  const accounts = await window.ethereum.request({ method: 'eth_requestAccounts' });
  return accounts[0];
}
