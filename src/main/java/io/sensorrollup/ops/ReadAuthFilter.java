package io.sensorrollup.ops;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code rollup.api.read-auth}: every read under {@code /api}, today's endpoints and any added later, asks
 * {@link ApiCredentials}; before matching, so an unknown path gets 401 rather than telling what exists. Health and
 * metrics ({@code /q/...}) are not REST resources and never pass here.
 */
@Provider
@PreMatching
class ReadAuthFilter implements ContainerRequestFilter {

    private final ApiCredentials credentials;

    ReadAuthFilter(ApiCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if ((HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) && underApi(request.getUriInfo().getPath())) {
            credentials.requireForRead(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        }
    }

    static boolean underApi(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.equals("/api") || p.startsWith("/api/");
    }
}
