using Parley.Core.Calendar;
using Parley.Tools.Orders;
using Parley.Tools.Weather;

namespace Parley.Tools;

/// <summary>What the built-in tools of one conversation work with. Tools whose service is missing cannot be created.</summary>
public sealed class BuiltInToolContext
{
    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The user's time zone, for date phrases and times. Default the machine's.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>The conversation, which is also the calendar the calendar tools use.</summary>
    public required string Conversation { get; init; }

    /// <summary>Where calendar events are kept; needed by the calendar tools.</summary>
    public ICalendarStore? Calendar { get; init; }

    /// <summary>The weather service; needed by <c>weather</c>.</summary>
    public OpenMeteoClient? Weather { get; init; }

    /// <summary>The order book; needed by <c>order_status</c>.</summary>
    public OrderStatusTool? Orders { get; init; }

    /// <summary>The bot's knowledge; needed by <c>knowledge_search</c>.</summary>
    public Parley.Retrieval.Knowledge.IKnowledgeSearch? Knowledge { get; init; }
}
