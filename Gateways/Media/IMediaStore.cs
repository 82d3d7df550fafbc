namespace WgStream.Gateways.Media;

/// <summary>
/// Where processed images live. Keys are chosen by the platform (content-unique, e.g. a hash), never by
/// users, and are relative paths of letters, digits, <c>-</c>, <c>_</c> and <c>.</c> separated by <c>/</c>.
/// </summary>
public interface IMediaStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing what was there.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct = default);

    /// <summary>
    /// Streams the object into <paramref name="destination"/> (a clip is cut from a video's stored
    /// segments); false, with nothing written, when there is no such object.
    /// </summary>
    Task<bool> CopyToAsync(string key, Stream destination, CancellationToken ct = default);

    /// <summary>Removes the object; removing one that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Removes every object whose key starts with <paramref name="prefix"/><c>/</c> (a video's segments, say); none is not an error.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>The URL a browser fetches the object from.</summary>
    string PublicUrl(string key);
}
