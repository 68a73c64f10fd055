module.exports = require('./lib/credentials');
