using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Tools;
using Parley.Tools.Orders;
using Parley.Tools.Weather;

namespace Parley.Bots.Tools;

/// <summary>
/// The tools a pack declares, made for one conversation at a time (the calendar tools work on the conversation's calendar).
/// </summary>
public sealed class BotToolbox
{
    private readonly BotPack _pack;
    private readonly BotToolServices _services;
    private readonly OpenMeteoClient? _weather;
    private readonly OrderStatusTool? _orders;

    private BotToolbox(BotPack pack, BotToolServices services, OpenMeteoClient? weather, OrderStatusTool? orders, TimeZoneInfo zone)
    {
        _pack = pack;
        _services = services;
        _weather = weather;
        _orders = orders;
        TimeZone = zone;
    }

    /// <summary>The user's time zone: the pack's <c>time_zone</c>, else the machine's.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider => _services.TimeProvider;

    /// <summary>The declared tools' names.</summary>
    public IEnumerable<string> Names => _pack.Manifest.Tools.Select(t => t.Name);

    /// <summary>Prepares the pack's tools: reads the order book, sets up the weather client.</summary>
    /// <exception cref="BotPackException">The order book is invalid.</exception>
    /// <exception cref="ArgumentException">The pack declares calendar tools and <paramref name="services"/> has no calendar store.</exception>
    public static async Task<BotToolbox> CreateAsync(BotPack pack, BotToolServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(services);
        OpenMeteoClient? weather = null;
        OrderStatusTool? orders = null;
        foreach (var tool in pack.Manifest.Tools)
        {
            if (tool.Name.StartsWith("calendar_", StringComparison.Ordinal) && services.Calendar is null)
            {
                throw new ArgumentException($"Bot '{pack.Name}' declares the tool '{tool.Name}', which needs a calendar store (BotToolServices.Calendar).", nameof(services));
            }

            if (tool.Name == BuiltInTools.Weather)
            {
                var options = new OpenMeteoOptions();
                options.ForecastBaseUrl = services.WeatherBaseUrl ?? tool.ForecastUrl ?? options.ForecastBaseUrl;
                options.GeocodingBaseUrl = services.WeatherBaseUrl ?? tool.GeocodingUrl ?? options.GeocodingBaseUrl;
                weather = new OpenMeteoClient(services.Http ?? SharedHttp.Value, options);
            }

            if (tool.Name == BuiltInTools.OrderStatus)
            {
                var path = Path.Combine(pack.Root, tool.Orders!);
                try
                {
                    orders = await OrderStatusTool.LoadAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new BotPackException(path, 0, e.Message, e);
                }
            }
        }

        var zone = pack.Manifest.TimeZone is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Local;
        return new BotToolbox(pack, services, weather, orders, zone);
    }

    /// <summary>The declared tools, for a conversation.</summary>
    /// <param name="conversation">The conversation (its calendar); null for a shared <c>default</c> calendar.</param>
    /// <param name="approvedUpFront">True when the user approved every tool call in advance: no tool then waits for approval.</param>
    public IReadOnlyDictionary<string, AIFunction> For(string? conversation, bool approvedUpFront = false)
    {
        var context = new BuiltInToolContext
        {
            Conversation = string.IsNullOrWhiteSpace(conversation) ? "default" : conversation,
            TimeProvider = _services.TimeProvider,
            TimeZone = TimeZone,
            Calendar = _services.Calendar,
            Weather = _weather,
            Orders = _orders,
        };
        return _pack.Manifest.Tools.ToDictionary(t => t.Name, t => BuiltInTools.Create(t.Name, context, approvedUpFront ? false : t.RequireApproval), StringComparer.Ordinal);
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
}
