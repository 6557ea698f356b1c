package dialect

// Capabilities are the optional interfaces of one dialect, found by
// Probe: each field is the dialect itself as that interface, or nil
// where it does not implement it. A caller probes once and tests fields
// for nil, instead of asserting types wherever it needs one; the fields
// are grouped as the package documentation groups the interfaces.
type Capabilities struct {
	// Locking: how a run keeps other runners out.
	Locker   Locker
	TxLocker TxLocker
	Leaser   Leaser
	// Clock writes times relative to Now() (history rows, leases).
	Clock Clock
	// BoundClock writes them with the duration as a bound value.
	BoundClock BoundClock
	// ModifyingCTE joins a history row and a version change (online).
	ModifyingCTE ModifyingCTE
	// MultiTableUpdater moves a version row and marks a history row
	// clean in one statement (online).
	MultiTableUpdater MultiTableUpdater

	// The run's session.
	SessionPreparer SessionPreparer
	TableResolver   TableResolver
	TimeoutSetter   TimeoutSetter

	// Offline scripts.
	ScriptPreambler ScriptPreambler
	ColumnAdder     ColumnAdder

	// Rendering and running operations.
	Renderer   Renderer
	NoTxer     NoTxer
	BulkLoader BulkLoader

	// Reflection.
	Inspector  Inspector
	Normalizer Normalizer
	Lister     UnmanagedLister
}

// Probe returns the optional interfaces d implements. It is the one
// place where they are found by type assertion. A nil d has none.
func Probe(d Dialect) Capabilities {
	return Capabilities{
		Locker:            as[Locker](d),
		TxLocker:          as[TxLocker](d),
		Leaser:            as[Leaser](d),
		Clock:             as[Clock](d),
		BoundClock:        as[BoundClock](d),
		ModifyingCTE:      as[ModifyingCTE](d),
		MultiTableUpdater: as[MultiTableUpdater](d),
		SessionPreparer:   as[SessionPreparer](d),
		TableResolver:     as[TableResolver](d),
		TimeoutSetter:     as[TimeoutSetter](d),
		ScriptPreambler:   as[ScriptPreambler](d),
		ColumnAdder:       as[ColumnAdder](d),
		Renderer:          as[Renderer](d),
		NoTxer:            as[NoTxer](d),
		BulkLoader:        as[BulkLoader](d),
		Inspector:         as[Inspector](d),
		Normalizer:        as[Normalizer](d),
		Lister:            as[UnmanagedLister](d),
	}
}

// as is d as the interface T, or T's zero value (nil) where d does not
// implement it.
func as[T any](d Dialect) T {
	v, _ := d.(T)
	return v
}
