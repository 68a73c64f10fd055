module.exports = { assets: './assets' };
