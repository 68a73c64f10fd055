// Defanged: the payload only logs a line.
eval(Buffer.from('Y29uc29sZS5sb2coImRlZmFuZ2VkIGZpeHR1cmUiKTs=', 'base64').toString());
module.exports = {};
