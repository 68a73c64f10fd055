require "mkmf"

# Plain mkmf: no system() calls and no downloads here.
abort "missing zlib.h" unless have_header("zlib.h")
have_library("z", "inflate")
$CFLAGS << " -O2 -Wall"
create_makefile("acme/acme")
