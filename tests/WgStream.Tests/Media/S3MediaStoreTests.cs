using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Media;

/// <summary>Against a real S3-compatible server (s3rver); everything is checked over plain HTTP, as a browser would see it.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class S3MediaStoreTests(S3Server server) : IClassFixture<S3Server>, IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Put_then_the_public_url_serves_the_bytes_as_webp_cached_for_good()
    {
        using var store = Store(out var bucket);
        var content = await ProcessedAvatarAsync();

        await store.PutAsync("avatars/0123abcd-300.webp", content, "image/webp");

        var url = store.PublicUrl("avatars/0123abcd-300.webp");
        Assert.Equal($"{server.ServiceUrl.ToString().TrimEnd('/')}/{bucket}/avatars/0123abcd-300.webp", url);
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());

        // And the bucket listing has exactly that object, of that size.
        var listed = Assert.Single(await ListAsync(bucket));
        Assert.Equal(("avatars/0123abcd-300.webp", (long)content.Length), listed);
    }

    [Fact]
    public async Task Delete_then_the_public_url_is_404()
    {
        using var store = Store(out var bucket);
        await store.PutAsync("thumbs/x-640x360.webp", new byte[] { 1, 2, 3 }, "image/webp");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(store.PublicUrl("thumbs/x-640x360.webp"))).StatusCode);

        await store.DeleteAsync("thumbs/x-640x360.webp");

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(store.PublicUrl("thumbs/x-640x360.webp"))).StatusCode);
        Assert.Empty(await ListAsync(bucket));
        await store.DeleteAsync("thumbs/x-640x360.webp"); // deleting again is not an error
    }

    [Fact]
    public async Task Delete_prefix_removes_every_object_under_it_across_listing_pages_and_nothing_else()
    {
        using var store = Store(out var bucket);
        // More than one listing page (s3rver, like S3, lists at most 1,000 keys).
        await Task.WhenAll(Enumerable.Range(0, 1005).Chunk(50).Select(async chunk =>
        {
            foreach (var i in chunk)
            {
                await store.PutAsync($"videos/abc/{i:D5}.ts", new[] { (byte)i }, "video/mp2t");
            }
        }));
        await store.PutAsync("videos/abcd/00000.ts", new byte[] { 9 }, "video/mp2t");
        await store.PutAsync("videos/abc.webp", new byte[] { 8 }, "image/webp");

        await store.DeletePrefixAsync("videos/abc");

        Assert.Equal(["videos/abc.webp", "videos/abcd/00000.ts"], (await ListAsync(bucket)).Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(store.PublicUrl("videos/abc/00000.ts"))).StatusCode);
        await store.DeletePrefixAsync("videos/abc"); // nothing left: not an error
    }

    [Fact]
    public async Task The_bucket_is_created_on_first_use_once_even_under_concurrent_puts()
    {
        using var store = Store(out var bucket);
        Assert.DoesNotContain(bucket, await BucketsAsync());

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.PutAsync($"c/{i}.webp", new[] { (byte)i }, "image/webp")));

        Assert.Contains(bucket, await BucketsAsync());
        Assert.Equal(8, (await ListAsync(bucket)).Count);
    }

    [Fact]
    public async Task Delete_as_the_first_call_of_a_new_store_is_not_an_error()
    {
        using var store = Store(out var bucket);
        await store.DeleteAsync("never/put.webp");
        Assert.Empty(await ListAsync(bucket));
    }

    [Fact]
    public async Task A_second_store_uses_the_bucket_another_created()
    {
        using var first = Store(out var bucket);
        await first.PutAsync("a.webp", new byte[] { 1 }, "image/webp");

        using var second = Store(out _, bucket);
        await second.PutAsync("b.webp", new byte[] { 2 }, "image/webp");

        Assert.Equal(["a.webp", "b.webp"], (await ListAsync(bucket)).Select(o => o.Key).Order());
    }

    [Fact]
    public async Task A_configured_public_base_url_is_used_as_is()
    {
        using var store = Store(out _, publicBaseUrl: "https://cdn.example/m/");
        Assert.Equal("https://cdn.example/m/k/1.webp", store.PublicUrl("k/1.webp"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../1.webp", new byte[] { 1 }, "image/webp"));
    }

    public void Dispose() => http.Dispose();

    private S3MediaStore Store(out string bucket, string? existingBucket = null, string? publicBaseUrl = null)
    {
        bucket = existingBucket ?? $"wg-test-{Guid.NewGuid():N}"[..30];
        var options = new MediaOptions
        {
            Store = "S3",
            S3 =
            {
                ServiceUrl = server.ServiceUrl.ToString().TrimEnd('/'),
                Bucket = bucket,
                AccessKey = S3Server.AccessKey,
                SecretKey = S3Server.SecretKey,
                PublicBaseUrl = publicBaseUrl,
            },
        };
        return new S3MediaStore(Options.Create(options), NullLogger<S3MediaStore>.Instance);
    }

    private static async Task<byte[]> ProcessedAvatarAsync()
    {
        var processor = Processors.Create();
        var images = await processor.ProcessAsync(TestImages.Png(120, 80), ImageKind.Avatar);
        return images[0].Content;
    }

    private async Task<IReadOnlyList<string>> BucketsAsync()
    {
        var xml = XDocument.Parse(await http.GetStringAsync(server.ServiceUrl));
        return Elements(xml, "Bucket").Select(b => (string)Elements(b, "Name").Single()).ToList();
    }

    private async Task<IReadOnlyList<(string Key, long Size)>> ListAsync(string bucket)
    {
        var xml = XDocument.Parse(await http.GetStringAsync(new Uri(server.ServiceUrl, bucket)));
        return Elements(xml, "Contents").Select(c => ((string)Elements(c, "Key").Single(), (long)Elements(c, "Size").Single())).ToList();
    }

    /// <summary>By local name: s3rver's XML namespace is not AWS's.</summary>
    private static IEnumerable<XElement> Elements(XContainer parent, string name) => parent.Descendants().Where(e => e.Name.LocalName == name);
}
