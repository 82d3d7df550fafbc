using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;

namespace WgStream.Tests.Media;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class LocalDiskMediaStoreTests : IDisposable
{
    private readonly string sandbox = Path.Combine(Path.GetTempPath(), $"wg-media-{Guid.NewGuid():N}");
    private readonly string root;
    private readonly LocalDiskMediaStore store;

    public LocalDiskMediaStoreTests()
    {
        root = Path.Combine(sandbox, "media");
        store = new LocalDiskMediaStore(Options.Create(new MediaOptions { LocalDirectory = root, PublicBaseUrl = "https://cdn.example/media/" }));
    }

    [Fact]
    public async Task Put_writes_the_bytes_under_the_directory_creating_folders()
    {
        byte[] content = [1, 2, 3, 4, 5];

        await store.PutAsync("avatars/ab/cd/abcdef-300.webp", content, "image/webp");

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(root, "avatars", "ab", "cd", "abcdef-300.webp")));
        Assert.Single(Directory.GetFiles(root, "*", SearchOption.AllDirectories)); // no temporary file left behind
    }

    [Fact]
    public async Task Delete_prefix_removes_the_folder_and_nothing_beside_it()
    {
        await store.PutAsync("videos/abc/00000.ts", new byte[] { 1 }, "video/mp2t");
        await store.PutAsync("videos/abc/index.m3u8", new byte[] { 2 }, "application/vnd.apple.mpegurl");
        await store.PutAsync("videos/abcd/00000.ts", new byte[] { 3 }, "video/mp2t");

        await store.DeletePrefixAsync("videos/abc");

        Assert.False(Directory.Exists(Path.Combine(root, "videos", "abc")));
        Assert.True(File.Exists(Path.Combine(root, "videos", "abcd", "00000.ts")));
        await store.DeletePrefixAsync("videos/abc"); // already gone: fine
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeletePrefixAsync("../videos"));
    }

    [Fact]
    public async Task Put_replaces_and_delete_removes()
    {
        await store.PutAsync("x/1.webp", new byte[] { 1 }, "image/webp");
        await store.PutAsync("x/1.webp", new byte[] { 2, 2 }, "image/webp");
        Assert.Equal(new byte[] { 2, 2 }, await File.ReadAllBytesAsync(Path.Combine(root, "x", "1.webp")));

        await store.DeleteAsync("x/1.webp");
        Assert.False(File.Exists(Path.Combine(root, "x", "1.webp")));

        await store.DeleteAsync("x/1.webp"); // already gone: fine
        await store.DeleteAsync("never/was.webp");
    }

    [Fact]
    public async Task A_slice_of_a_larger_buffer_is_written_exactly()
    {
        var buffer = new byte[] { 9, 9, 1, 2, 3, 9 };
        await store.PutAsync("slice.bin", buffer.AsMemory(2, 3), "application/octet-stream");
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(Path.Combine(root, "slice.bin")));
    }

    [Fact]
    public void The_public_url_is_the_base_and_the_key()
    {
        Assert.Equal("https://cdn.example/media/avatars/a-70.webp", store.PublicUrl("avatars/a-70.webp"));
        var plain = new LocalDiskMediaStore(Options.Create(new MediaOptions()));
        Assert.Equal("/media/b/c.webp", plain.PublicUrl("b/c.webp"));
    }

    [Theory]
    [InlineData("../escape.webp")]
    [InlineData("a/../../escape.webp")]
    [InlineData("a/..")]
    [InlineData("..")]
    [InlineData("/etc/escape.webp")]
    [InlineData("a\\..\\..\\escape.webp")]
    [InlineData("./a.webp")]
    [InlineData("a//b.webp")]
    [InlineData("a/")]
    [InlineData("")]
    [InlineData("a b.webp")]
    [InlineData("a/%2e%2e/b.webp")]
    public async Task Keys_that_could_leave_the_directory_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new byte[] { 1 }, "image/webp"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key));
        Assert.Throws<ArgumentException>(() => store.PublicUrl(key));

        Assert.False(Directory.Exists(sandbox), "nothing may be created for a refused key");
    }

    [Fact]
    public async Task Delete_through_a_traversal_key_cannot_remove_a_file_outside()
    {
        Directory.CreateDirectory(sandbox);
        var outside = Path.Combine(sandbox, "precious.txt");
        await File.WriteAllTextAsync(outside, "keep me");

        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync("../precious.txt"));

        Assert.True(File.Exists(outside));
    }

    public void Dispose()
    {
        if (Directory.Exists(sandbox))
        {
            Directory.Delete(sandbox, recursive: true);
        }
    }
}
