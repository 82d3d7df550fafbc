using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Tests.Media;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class MediaRegistrationTests
{
    [Fact]
    public void Defaults_give_the_local_store_and_the_documented_limits()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<MediaOptions>>().Value;
        Assert.Equal("Local", options.Store);
        Assert.Equal("var/media", options.LocalDirectory);
        Assert.Equal("/media", options.PublicBaseUrl);
        Assert.Equal(8 * 1024 * 1024, options.MaxUploadBytes);
        Assert.Equal(40_000_000, options.MaxPixels);
        Assert.Equal(256L * 1024 * 1024, options.DecodeBudgetBytes);
        Assert.Equal(Environment.ProcessorCount, options.MaxConcurrentDecodes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DecodeWaitTimeout);
        Assert.Same(provider.GetRequiredService<DecodeGate>(), provider.GetRequiredService<DecodeGate>());
        Assert.Equal("us-east-1", options.S3.Region);
        Assert.Equal("wg-media", options.S3.Bucket);
        Assert.True(options.S3.ForcePathStyle);
        Assert.IsType<LocalDiskMediaStore>(provider.GetRequiredService<IMediaStore>());
        Assert.Same(provider.GetRequiredService<ImageProcessor>(), provider.GetRequiredService<ImageProcessor>());
        Assert.Equal("/media/a/b.webp", provider.GetRequiredService<IMediaStore>().PublicUrl("a/b.webp"));
    }

    [Fact]
    public void Store_S3_gives_the_S3_store_with_a_derived_public_url()
    {
        using var provider = Build(new()
        {
            ["Media:Store"] = "S3",
            ["Media:S3:ServiceUrl"] = "http://127.0.0.1:4569/",
            ["Media:S3:Bucket"] = "avatars",
            ["Media:MaxPixels"] = "1000",
        });

        var store = Assert.IsType<S3MediaStore>(provider.GetRequiredService<IMediaStore>());
        Assert.Equal("http://127.0.0.1:4569/avatars/k.webp", store.PublicUrl("k.webp"));
        Assert.Equal(1000, provider.GetRequiredService<IOptions<MediaOptions>>().Value.MaxPixels);
    }

    [Theory]
    [InlineData("Media:Store", "Ftp", "Media:Store must be")]
    [InlineData("Media:MaxPixels", "0", "Media:MaxPixels must be positive")]
    [InlineData("Media:MaxUploadBytes", "-1", "Media:MaxUploadBytes must be positive")]
    [InlineData("Media:DecodeBudgetBytes", "0", "Media:DecodeBudgetBytes must be positive")]
    [InlineData("Media:MaxConcurrentDecodes", "0", "Media:MaxConcurrentDecodes must be positive")]
    [InlineData("Media:DecodeWaitTimeout", "-00:00:01", "Media:DecodeWaitTimeout must not be negative")]
    public void Bad_settings_are_reported_by_name(string key, string value, string expected)
    {
        using var provider = Build(new() { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MediaOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_without_a_service_url_is_reported()
    {
        using var provider = Build(new() { ["Media:Store"] = "S3" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMediaStore>());
        Assert.Contains("Media:S3:ServiceUrl", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWgStreamImageProcessing(configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }
}
