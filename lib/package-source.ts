import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { PackageType } from './package-type';
import { synthError } from './synth-error';

/** Where the service copies a package's content from, once bound to a package. */
export interface PackageSourceConfig {
  /** The bucket holding the object. */
  readonly bucket: s3.IBucket;
  /** The object's key. */
  readonly key: string;
  /**
   * The object keys the handler may read (`s3:GetObject`): the object itself,
   * or for an asset every object of the asset bucket, so that an update
   * rollback can read the previous version's object.
   */
  readonly readableKeys: string;
  /**
   * A fingerprint of the content, known at synth time, that changes whenever
   * the content does: an association in another stack moves to the package's
   * newest version when it changes.
   *
   * @default - the content is only known at deploy time
   */
  readonly fingerprint?: string;
}

/**
 * The content of an `OpenSearchPackage`: a file or folder of this repository
 * (an asset), or an object in a bucket.
 */
export abstract class PackageSource {
  /**
   * A file or folder of this repository, uploaded as an asset. A dictionary
   * is one file; a plugin, license or configuration is a `.zip` file or a
   * folder (zipped on upload). A new content means a new package version.
   *
   * @param assetPath the file or folder, read at synth time
   */
  public static fromAsset(assetPath: string): PackageSource {
    return new AssetSource(assetPath);
  }

  /**
   * An object in a bucket. A new key means a new package version.
   *
   * @param bucket the bucket
   * @param key the object's key
   */
  public static fromBucket(bucket: s3.IBucket, key: string): PackageSource {
    return new BucketSource(bucket, key);
  }

  /**
   * Binds the source to a package of `packageType`; throws for content the type cannot take.
   *
   * @param scope the package
   * @param packageType the package's type
   */
  public abstract bind(scope: Construct, packageType: PackageType): PackageSourceConfig;
}

class AssetSource extends PackageSource {
  constructor(private readonly assetPath: string) {
    super();
  }

  public bind(scope: Construct, packageType: PackageType): PackageSourceConfig {
    checkAssetPath(scope, this.assetPath, packageType);
    const asset = new s3assets.Asset(scope, 'Source', { path: this.assetPath });
    return { bucket: asset.bucket, key: asset.s3ObjectKey, readableKeys: '*', fingerprint: asset.assetHash };
  }
}

class BucketSource extends PackageSource {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string) {
    super();
  }

  public bind(scope: Construct): PackageSourceConfig {
    if (!Token.isUnresolved(this.key) && this.key.trim() === '') {
      throw synthError(scope, 'invalid source', 'the object key must not be empty');
    }
    return { bucket: this.bucket, key: this.key, readableKeys: this.key, fingerprint: this.fingerprint() };
  }

  /** The bucket (its name, or its construct's path) and the key, when the key is known at synth time. */
  private fingerprint(): string | undefined {
    if (Token.isUnresolved(this.key)) {
      return undefined;
    }
    const bucket = Token.isUnresolved(this.bucket.bucketName) ? this.bucket.node.path : this.bucket.bucketName;
    return `s3://${bucket}/${this.key}`;
  }
}

/** What each type can take: the service reads a dictionary as text and everything else as a zip archive. */
function checkAssetPath(scope: Construct, assetPath: string, packageType: PackageType): void {
  if (Token.isUnresolved(assetPath)) {
    throw synthError(scope, 'invalid source', `'${assetPath}' must be a literal path: an asset is read at synth time`);
  }
  const stat = fs.statSync(assetPath, { throwIfNoEntry: false });
  if (!stat) {
    throw synthError(scope, 'invalid source', `'${assetPath}' does not exist`);
  }
  if (packageType === PackageType.TXT_DICTIONARY && stat.isDirectory()) {
    throw synthError(scope, 'invalid source', `'${assetPath}' is a folder; a ${packageType} package is one file`);
  }
  if (packageType !== PackageType.TXT_DICTIONARY && stat.isFile() && path.extname(assetPath).toLowerCase() !== '.zip') {
    throw synthError(scope, 'invalid source', `'${assetPath}' must be a .zip file or a folder for a ${packageType} package`);
  }
}
