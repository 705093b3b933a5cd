using Azure;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// One table of Azure Table Storage. Shaped like Azure.Data.Tables' TableClient so that package could replace
/// our own client behind this interface in one file. Failures throw Azure's <see cref="RequestFailedException"/>
/// with the service's status and <see cref="RequestFailedException.ErrorCode"/> (EntityAlreadyExists,
/// UpdateConditionNotSatisfied, ResourceNotFound, ...).
/// </summary>
public interface ITableClient
{
    string Name { get; }

    Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts; 409 EntityAlreadyExists when the keys are taken. Returns the new ETag.</summary>
    Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default);

    /// <summary>The entity, or null when it does not exist.</summary>
    Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Replaces or merges when the stored ETag still equals <paramref name="ifMatch"/> (or <see cref="ETag.All"/>);
    /// 412 UpdateConditionNotSatisfied otherwise. Returns the new ETag.</summary>
    Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default);

    /// <summary>Insert-or-replace / insert-or-merge, unconditional.</summary>
    Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default);

    /// <summary>Deletes when the ETag matches (<see cref="ETag.All"/>: unconditionally). A missing entity is not an error.</summary>
    Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default);

    /// <summary>All entities matching an OData <paramref name="filter"/> (build it with <see cref="TableFilter"/>),
    /// following continuation tokens page after page.</summary>
    IAsyncEnumerable<TableEntity> QueryAsync(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default);
}

public enum TableUpdateMode
{
    Merge,
    Replace,
}

/// <summary>The storage account's table service.</summary>
public interface ITableServiceClient
{
    ITableClient GetTableClient(string tableName);

    /// <summary>Throws when the service does not answer or refuses our credentials.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
