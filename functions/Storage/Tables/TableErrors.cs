using Azure;

namespace SnipcartGateway.Storage.Tables;

/// <summary>Names for the failures callers branch on, so they need not compare status codes.</summary>
public static class TableErrors
{
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string TableAlreadyExists = "TableAlreadyExists";
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string TableNotFound = "TableNotFound";

    /// <summary>409: the entity (or table) already exists.</summary>
    public static bool IsConflict(Exception ex) => ex is RequestFailedException { Status: 409 };

    /// <summary>412: the ETag no longer matches; someone else wrote first.</summary>
    public static bool IsPreconditionFailed(Exception ex) => ex is RequestFailedException { Status: 412 };

    /// <summary>404: the entity or table does not exist.</summary>
    public static bool IsNotFound(Exception ex) => ex is RequestFailedException { Status: 404 };
}
