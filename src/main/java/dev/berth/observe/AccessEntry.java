package dev.berth.observe;

/**
 * What the request log says about one request. Only what is safe to keep is here: the path without its query
 * string, the user's name, never a header, a password, a token or a body.
 *
 * @param epochMillis when the request arrived
 * @param requestId the request's id, as returned in {@code X-Request-Id}
 * @param client the client's address
 * @param user the authenticated user; null for an anonymous caller or when access control is off
 * @param method the HTTP method
 * @param route the kind of request
 * @param repository the repository named in the path; null when there is none
 * @param path the path, without the query string
 * @param uploadId the upload the request belongs to; null when none
 * @param status the response status
 * @param bytesIn request body bytes read
 * @param bytesOut response body bytes written
 * @param nanos how long the request took until its response ended
 * @param aborted whether the response was cut off after it had begun
 */
public record AccessEntry(long epochMillis, String requestId, String client, String user, String method, Route route,
        String repository, String path, String uploadId, int status, long bytesIn, long bytesOut, long nanos,
        boolean aborted) {}
