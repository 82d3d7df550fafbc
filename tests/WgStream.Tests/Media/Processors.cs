using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Tests.Media;

/// <summary>An <see cref="ImageProcessor"/> with its own <see cref="DecodeGate"/>, as DI builds them.</summary>
internal static class Processors
{
    public static ImageProcessor Create(MediaOptions? options = null) => Create(options, out _);

    public static ImageProcessor Create(MediaOptions? options, out DecodeGate gate)
    {
        var wrapped = Options.Create(options ?? new MediaOptions());
        gate = new DecodeGate(wrapped);
        return new ImageProcessor(wrapped, gate);
    }
}
