// Intel ISA-L's inflate (Debian's libisal-dev): a streaming and a one-shot gzip inflate,
// about three times faster than zlib's on Sluice's benchmark file (docs/performance.md).
#include <isa-l/igzip_lib.h>
