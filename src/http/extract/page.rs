//! Pages of a list: the `?page=&per_page=` parameters and the envelope.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// `?page=&per_page=` of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub per_page: Option<u64>,
}

/// A checked page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: u64,
    pub per_page: u64,
}

impl Page {
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

impl PageParams {
    pub fn check(&self) -> Result<Page, ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        let mut errors = vec![];
        if !(1..=1_000_000).contains(&page) {
            errors.push(crate::domain::FieldError::new(
                "page",
                "out_of_range",
                "must be between 1 and 1000000",
            ));
        }
        if !(1..=200).contains(&per_page) {
            errors.push(crate::domain::FieldError::new(
                "per_page",
                "out_of_range",
                "must be between 1 and 200",
            ));
        }
        if errors.is_empty() {
            Ok(Page { page, per_page })
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// The list envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T: ToSchema> {
    pub items: Vec<T>,
    /// Number of matching items over all pages.
    #[schema(example = 1)]
    pub total: u64,
    #[schema(example = 1)]
    pub page: u64,
    #[schema(example = 50)]
    pub per_page: u64,
}

impl<T: ToSchema> Paginated<T> {
    pub fn new(items: Vec<T>, total: u64, page: Page) -> Self {
        Paginated {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        }
    }
}
