using Microsoft.Extensions.Logging;
using WgStream.Gateways.Media;

namespace WgStream.Tests.Media;

[Trait(TestKind.Name, TestKind.Unit)]
public sealed class MediaStoreExtensionsTests
{
    [Fact]
    public async Task A_key_that_fails_to_delete_is_logged_and_the_others_are_still_deleted()
    {
        var store = new FlakyStore { Failing = "b.webp" };
        var logger = new WarningLog();

        await store.DeleteQuietlyAsync(["a.webp", "b.webp", "c.webp"], logger);

        Assert.Equal(["a.webp", "c.webp"], store.Deleted);
        var warning = Assert.Single(logger.Warnings);
        Assert.Contains("b.webp", warning.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(warning.Exception);
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed()
    {
        var store = new FlakyStore { Failing = "a.webp", Failure = new OperationCanceledException() };

        await Assert.ThrowsAsync<OperationCanceledException>(() => store.DeleteQuietlyAsync(["a.webp"], new WarningLog()));
    }

    private sealed class FlakyStore : IMediaStore
    {
        public string? Failing { get; init; }

        public Exception Failure { get; init; } = new IOException("The store is down.");

        public List<string> Deleted { get; } = [];

        public Task DeleteAsync(string key, CancellationToken ct = default)
        {
            if (key == Failing)
            {
                throw Failure;
            }

            Deleted.Add(key);
            return Task.CompletedTask;
        }

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<bool> CopyToAsync(string key, Stream destination, CancellationToken ct = default) => throw new NotSupportedException();

        public Task DeletePrefixAsync(string prefix, CancellationToken ct = default) => throw new NotSupportedException();

        public string PublicUrl(string key) => throw new NotSupportedException();
    }

    private sealed class WarningLog : ILogger
    {
        public List<(string Message, Exception? Exception)> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add((formatter(state, exception), exception));
            }
        }
    }
}
