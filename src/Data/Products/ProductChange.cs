namespace FlashFundX.Data.Products;

public enum ProductChangeKind
{
    Created,
    Changed,
    Unchanged,
}

/// <summary>What a write did: the product before (null when created) and after.</summary>
public sealed record ProductChange(ProductChangeKind Kind, Product? Before, Product After);
