"""The catalogue's models, one module per concern; import from here."""

from .certificates import Certificate, CertificateStatus, IssuerLevel
from .codes import CodeSequence
from .legal import InfoPage, SiteOperator
from .logins import ProducerLogin
from .pages import HomePage, ProducersIndexPage, ProductsIndexPage
from .producers import ProducerGalleryImage, ProducerPage, ProducerType
from .products import ProductGalleryImage, ProductPage, ProductVariant
from .stock import StockItem
from .storefront import StorefrontEntry, StorefrontMark, StorefrontWord
from .taxonomy import OcopCategory, QualityMark
from .units import Commune, Province

__all__ = [
    "Certificate",
    "CertificateStatus",
    "CodeSequence",
    "Commune",
    "HomePage",
    "InfoPage",
    "IssuerLevel",
    "OcopCategory",
    "ProducerGalleryImage",
    "ProducerLogin",
    "ProducerPage",
    "ProducerType",
    "ProducersIndexPage",
    "ProductGalleryImage",
    "ProductPage",
    "ProductVariant",
    "ProductsIndexPage",
    "Province",
    "QualityMark",
    "SiteOperator",
    "StockItem",
    "StorefrontEntry",
    "StorefrontMark",
    "StorefrontWord",
]
