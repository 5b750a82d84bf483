using Parley.Storage.Conformance;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteConversationStoreConformanceTests() : ConversationStoreConformanceTests(new SqliteBackend());

public sealed class SqliteCalendarStoreConformanceTests() : CalendarStoreConformanceTests(new SqliteBackend());

public sealed class SqliteRunStoreConformanceTests() : RunStoreConformanceTests(new SqliteBackend());

public sealed class SqliteConversationEventConformanceTests() : ConversationEventConformanceTests(new SqliteBackend());

public sealed class SqliteFineTuningStoreConformanceTests() : FineTuningStoreConformanceTests(new SqliteBackend());
