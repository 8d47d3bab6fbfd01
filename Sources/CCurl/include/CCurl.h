#ifndef SLUICE_CCURL_H
#define SLUICE_CCURL_H
#include <curl/curl.h>

/* curl_easy_setopt is variadic, which Swift cannot call; these typed wrappers can be. */
CURLcode sluice_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode sluice_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode sluice_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode sluice_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode sluice_curl_setopt_write_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode sluice_curl_setopt_read_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode sluice_curl_setopt_seek_function(CURL *handle, int (*fn)(void *, curl_off_t, int));
CURLcode sluice_curl_setopt_header_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode sluice_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode sluice_curl_getinfo_string(CURL *handle, CURLINFO info, char **value);
#endif
