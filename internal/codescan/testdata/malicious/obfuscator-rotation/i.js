var a=['dGVzdA==','bG9n','ZGVmYW5nZWQ=','aW5mbw=='];(function(b,c){var d=function(e){while(--e){b['push'](b['shift']());}};d(++c);}(a,0x1f4));
(function(f,g){var h=f();while(!![]){try{var i=parseInt(k(0x1))/0x1+-parseInt(k(0x2))/0x2;if(i===g)break;else h['push'](h['shift']());}catch(j){h['push'](h['shift']());}}}(function(){return a;},0x3a2f1));
function k(l){return a[l-0x1];}console[k(0x2)](k(0x3));
