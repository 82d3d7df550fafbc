namespace WgStream.Grains.Infrastructure.Media;

/// <summary>One re-encoded size of an upload; <paramref name="Variant"/> names the size (e.g. <c>300</c> or <c>1200x480</c>).</summary>
public sealed record ProcessedImage(string Variant, int Width, int Height, byte[] Content, string ContentType);
