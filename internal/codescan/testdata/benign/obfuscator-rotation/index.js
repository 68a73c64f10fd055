// A ring buffer: rotates with push/shift and parses sizes, no endless loop.
function rotate(arr, n) {
  for (let i = 0; i < parseInt(n, 10); i++) arr.push(arr.shift());
  return arr;
}
function drain(q, fn) {
  while (q.length) fn(q.shift());
}
module.exports = { rotate, drain };
