using Parley.Bots;
using Parley.Hosting;

namespace Parley.Server.Tests;

/// <summary>A bot factory that calls back, so a test serves a bot it built (or already has).</summary>
internal sealed class TestBotFactory(Func<string, CancellationToken, Task<Bot>> create) : IBotFactory
{
    public Task<Bot> CreateAsync(string botFolder, CancellationToken cancellationToken = default) => create(botFolder, cancellationToken);
}
