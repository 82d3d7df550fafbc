using Microsoft.Extensions.Options;

namespace WgStream.Gateways.Media;

/// <summary>
/// Files under <see cref="MediaOptions.LocalDirectory"/>, for a single host or local runs; whatever serves
/// <see cref="MediaOptions.PublicBaseUrl"/> (a static-file handler or a reverse proxy) infers the
/// content type from the key's extension, so <c>contentType</c> is not stored.
/// </summary>
public sealed class LocalDiskMediaStore(IOptions<MediaOptions> options) : IMediaStore
{
    private readonly string root = Path.GetFullPath(options.Value.LocalDirectory);

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Write aside, then rename: a reader never sees a half-written file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, content, ct);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public async Task<bool> CopyToAsync(string key, Stream destination, CancellationToken ct = default)
    {
        FileStream source;
        try
        {
            source = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        await using (source)
        {
            await source.CopyToAsync(destination, ct);
        }

        return true;
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its folder was never made: nothing to delete.
        }

        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        // Keys are paths, so a prefix is a directory.
        var path = PathOf(prefix);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }

    public string PublicUrl(string key) => MediaKeys.Url(options.Value.PublicBaseUrl, key);

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, MediaKeys.Validate(key)));

        // Defence in depth: whatever the key check allows must still land inside the root.
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The media key \"{key}\" leaves the media directory.", nameof(key));
        }

        return path;
    }
}
