// Привет: identifiers wholly in one script, text in strings.
const привет = 'Привет, мир';
const αβγ = ['α', 'β', 'γ'];
const greeting = 'pаssword in a string is only text';
function café(x) { return x + ' ☕'; }
module.exports = { привет, αβγ, greeting, café };
