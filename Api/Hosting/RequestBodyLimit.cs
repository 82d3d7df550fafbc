using Microsoft.AspNetCore.Http.Features;

namespace WgStream.Api.Hosting;

/// <summary>
/// How an endpoint bounds the body it is about to read. A declared length over the limit is refused
/// without reading; a chunked body has no length to check, so Kestrel is told the limit and stops
/// reading there, throwing a <see cref="BadHttpRequestException"/> with 413 (<see cref="IsTooLarge"/>).
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>False when the request declares more than <paramref name="maxBytes"/>: answer 413 without reading it.</summary>
    public static bool Apply(HttpContext http, long maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return false;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        return true;
    }

    /// <summary>Kestrel stopped reading at the limit <see cref="Apply"/> set.</summary>
    public static bool IsTooLarge(BadHttpRequestException e) => e.StatusCode == StatusCodes.Status413PayloadTooLarge;
}
