use crate::error::Result;
use crate::identity::Session;
use crate::store::Store;
pub fn run(_store: Store, _session: Session) -> Result<()> {
    Ok(())
}
