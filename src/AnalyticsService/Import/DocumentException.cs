namespace AnalyticsService.Import;

/// <summary>A document that cannot be read: bad JSON, or a field the service needs that is missing or of the wrong kind.</summary>
public sealed class DocumentException(string message) : Exception(message);
