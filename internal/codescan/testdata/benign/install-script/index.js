// Loads the compiled addon built by node-gyp rebuild at install.
module.exports = require('./build/Release/acme.node');
