using Parley.Bots;

namespace Parley.Hosting;

/// <summary>Builds a bot from its folder, the one way every Parley host does: <c>chat</c>, <c>ask</c> and <c>serve</c>.</summary>
public interface IBotFactory
{
    /// <summary>Loads the pack in <paramref name="botFolder"/> and builds its pipeline.</summary>
    /// <param name="botFolder">The bot folder (holding <c>bot.yaml</c>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="Parley.Bots.Packs.BotPackException">The bot pack is invalid.</exception>
    Task<Bot> CreateAsync(string botFolder, CancellationToken cancellationToken = default);
}
