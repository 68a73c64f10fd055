// Small HTTP helpers: call the platform APIs, never replace them.
export function get(url) {
  if (typeof window !== 'undefined' && window.fetch !== undefined) {
    return window.fetch(url).then((r) => r.text());
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    XMLHttpRequest.prototype.open.call(xhr, 'GET', url);
    xhr.onload = () => resolve(xhr.responseText);
    xhr.onerror = reject;
    xhr.send();
  });
}
